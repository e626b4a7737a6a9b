namespace Pipeline.Data.Entities;

/// <summary>A re-scoring of a run's stored completions with the reward rules of a later code version
/// (<c>pipeline replay score --save</c>). The original scores are never overwritten; a replay can train on a
/// revision instead (<c>pipeline replay train --rescored</c>).</summary>
public sealed class ScoringRevision
{
    public long Id { get; init; }
    public required Guid RunId { get; init; }
    public required string CodeVersion { get; init; }
    public required int Completions { get; init; }
    public required int Changed { get; init; }

    /// <summary>Completions whose rule could not run here (code with no sandbox): their original score stands.</summary>
    public required int NotRescored { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public List<RescoredCompletion> Scores { get; init; } = [];
}
