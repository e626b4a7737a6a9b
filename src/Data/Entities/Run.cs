namespace Pipeline.Data.Entities;

/// <summary>One training run: its configuration as submitted, its seed, and how it ended.</summary>
public sealed class Run
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public RunStatus Status { get; set; } = RunStatus.Running;

    /// <summary>The run's effective configuration as a JSON document, kept verbatim for replay.</summary>
    public required string ConfigJson { get; init; }

    public required long Seed { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>How many scored groups the run is planned to consume (steps × prompts per step).</summary>
    public required int GroupsExpected { get; init; }

    /// <summary>The SHA-256 of the base policy's weights file the run started from.</summary>
    public string? BasePolicySha256 { get; init; }

    /// <summary>The program that ran it: the assembly's informational version, which carries the git commit.</summary>
    public string? CodeVersion { get; init; }

    /// <summary>For a replay (<c>pipeline replay train</c>): the run whose stored groups it trained on.</summary>
    public Guid? SourceRunId { get; init; }

    /// <summary>For a replay on re-scored groups: the <see cref="ScoringRevision"/> whose scores it trained on.</summary>
    public long? SourceScoringRevisionId { get; init; }

    /// <summary>The learner that trains the run (see <see cref="Stores.RunStore.TryHoldLeaseAsync"/>); null when none
    /// holds it.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>When <see cref="LeaseOwner"/>'s lease ends unless it renews it; after that another learner may take the
    /// run over.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>Redelivered groups that were acknowledged and ignored because the group was already stored.</summary>
    public long DuplicatesIgnored { get; set; }
}
