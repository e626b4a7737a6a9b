namespace Pipeline.Contracts;

/// <summary>How a rollout worker samples. <see cref="Seed"/> is the run-level seed; each sample's own seed is
/// derived from it, the batch, the prompt and the sample index so that a run can be replayed.</summary>
public sealed record SamplingSettings
{
    public required float Temperature { get; init; }
    public required float TopP { get; init; }
    public required int MaxTokens { get; init; }
    public required long Seed { get; init; }

    /// <summary>Texts that end a completion when generated (kept in it); none by default, EOS always ends one.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];
}
