namespace Pipeline.Contracts;

/// <summary>Event: the completions of one prompt's group, sampled by one policy version.</summary>
public sealed record RolloutGroupGenerated
{
    public required Guid RunId { get; init; }
    public required int BatchId { get; init; }
    public required int PromptId { get; init; }
    public required int PolicyVersion { get; init; }
    public required RolloutPrompt Prompt { get; init; }
    public required IReadOnlyList<Completion> Completions { get; init; }

    /// <summary>Seconds the worker spent sampling the whole batch this group belongs to (0 when unknown).</summary>
    public double GenerationSeconds { get; init; }
}
