namespace Pipeline.Data.Stores;

/// <summary>What starting a run records. <see cref="Id"/> is generated (time-ordered) when not given.</summary>
public sealed record NewRun
{
    public Guid? Id { get; init; }
    public required string Name { get; init; }
    public required string ConfigJson { get; init; }
    public required long Seed { get; init; }
    public required int GroupsExpected { get; init; }
    public string? BasePolicySha256 { get; init; }
    public string? CodeVersion { get; init; }
    public Guid? SourceRunId { get; init; }
    public long? SourceScoringRevisionId { get; init; }

    /// <summary>The learner that starts the run holds its lease from the first moment (see
    /// <see cref="RunStore.TryHoldLeaseAsync"/>), so no standby takes up a run that is still starting.</summary>
    public string? LeaseOwner { get; init; }

    public TimeSpan LeaseDuration { get; init; }
}
