namespace Pipeline.Contracts;

/// <summary>Event: a generated group together with the verifier's score of each completion.</summary>
public sealed record RolloutGroupScored
{
    public required Guid RunId { get; init; }
    public required int BatchId { get; init; }
    public required int PromptId { get; init; }
    public required int PolicyVersion { get; init; }
    public required RolloutPrompt Prompt { get; init; }
    public required IReadOnlyList<Completion> Completions { get; init; }
    public required IReadOnlyList<CompletionScore> Scores { get; init; }

    /// <summary>Seconds the worker spent sampling the group's batch, as generated (0 when unknown: a stored group).</summary>
    public double GenerationSeconds { get; init; }

    /// <summary>Seconds the verifier spent scoring this group (0 when unknown: a stored group).</summary>
    public double ScoringSeconds { get; init; }
}
