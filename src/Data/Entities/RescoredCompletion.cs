namespace Pipeline.Data.Entities;

/// <summary>One completion's score in a <see cref="ScoringRevision"/>, keyed by (revision, batch, prompt, index).</summary>
public sealed class RescoredCompletion
{
    public long Id { get; init; }
    public long ScoringRevisionId { get; init; }
    public required int BatchId { get; init; }
    public required int PromptId { get; init; }
    public required int Index { get; init; }
    public required double Reward { get; init; }
    public required string ComponentsJson { get; init; }
    public required string Verdict { get; init; }
}
