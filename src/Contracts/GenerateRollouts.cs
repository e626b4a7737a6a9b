namespace Pipeline.Contracts;

/// <summary>Command: sample <see cref="GroupSize"/> completions for each prompt with the given policy version.
/// Rollout workers compete for it.</summary>
public sealed record GenerateRollouts
{
    public required Guid RunId { get; init; }
    public required int BatchId { get; init; }
    public required int PolicyVersion { get; init; }

    /// <summary>Where <see cref="PolicyVersion"/>'s checkpoint lies (as in <see cref="PolicyPublished.CheckpointUri"/>)
    /// and the SHA-256 it must have: a worker that missed the announcement loads it from here, with no database.</summary>
    public required string PolicyCheckpointUri { get; init; }
    public required string PolicySha256 { get; init; }
    public required IReadOnlyList<RolloutPrompt> Prompts { get; init; }
    public required int GroupSize { get; init; }
    public required SamplingSettings Sampling { get; init; }
}
