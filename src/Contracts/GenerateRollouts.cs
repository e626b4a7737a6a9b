namespace Pipeline.Contracts;

/// <summary>Command: sample <see cref="GroupSize"/> completions for each prompt with the given policy version.
/// Rollout workers compete for it.</summary>
public sealed record GenerateRollouts
{
    public required Guid RunId { get; init; }
    public required int BatchId { get; init; }
    public required int PolicyVersion { get; init; }
    public required IReadOnlyList<RolloutPrompt> Prompts { get; init; }
    public required int GroupSize { get; init; }
    public required SamplingSettings Sampling { get; init; }
}
