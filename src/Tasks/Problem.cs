namespace Pipeline.Tasks;

/// <summary>One problem of a task: the user's question, the reference the verifier checks against, and the
/// reward kind that applies (<see cref="TaskKinds"/>: "math" for answers compared as numbers, "code" for programs run
/// against tests, "countdown" for equations over given numbers).</summary>
public sealed record Problem(string Id, string Question, string Reference, string Kind);
