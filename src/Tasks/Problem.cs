namespace Pipeline.Tasks;

/// <summary>One problem of a task: the user's question, the reference the verifier checks against, and the
/// reward kind that applies (<see cref="TaskKinds"/>: "math" for answers compared as numbers, "code" for programs run
/// against tests, "countdown" for equations over given numbers).</summary>
public sealed record Problem(string Id, string Question, string Reference, string Kind)
{
    /// <summary>Where the problem was read, for messages that must name it (<c>problems.jsonl:7</c>); null for a
    /// generated problem, which its id names well enough.</summary>
    public string? Origin { get; init; }

    /// <summary>The problem as a message names it: its id, and where it was read when it was.</summary>
    public string Describe() => Origin is null ? $"problem '{Id}'" : $"problem '{Id}' ({Origin})";
}
