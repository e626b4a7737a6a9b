namespace Pipeline.Data.Entities;

/// <summary>One consumed batch of a run, in the order the learner consumed it: what went into the GRPO step, what it
/// dropped and why, and the policy version it produced. Groups arrive in whatever order the workers finish them, so
/// this row — not the batch ids — is what says which step trained on what; a replay feeds the same groups in the same
/// order (<c>pipeline replay train</c>). Keyed by (run, step).</summary>
public sealed class TrainingStep
{
    public long Id { get; init; }
    public required Guid RunId { get; init; }

    /// <summary>1, 2, … in consumption order.</summary>
    public required int Step { get; init; }
    public required int BatchId { get; init; }

    /// <summary>The policy version that generated the batch.</summary>
    public required int BehaviourVersion { get; init; }

    /// <summary>The version this step produced; null when it changed nothing (a stale batch, or every group dropped).</summary>
    public int? PolicyVersion { get; init; }

    /// <summary>The SHA-256 of <see cref="PolicyVersion"/>'s weights file; null when no version was produced.</summary>
    public string? CheckpointSha256 { get; init; }

    /// <summary>The groups handed to the step, in order, as a JSON array of [batch, prompt] pairs.</summary>
    public required string GroupsJson { get; init; }

    /// <summary>The groups the step did not train on, as a JSON array of {"batch", "prompt", "reason"} with reason
    /// "zero-variance" (dynamic sampling) or "stale" (the whole batch lagged too far).</summary>
    public required string DroppedJson { get; init; }

    public required double LearningRate { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
