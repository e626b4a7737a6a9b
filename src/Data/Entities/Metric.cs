namespace Pipeline.Data.Entities;

/// <summary>One value of one named metric at one training step (a long, "tall" table rather than a wide row per
/// step): the set of metrics grows with options (KL estimator, FP8 statistics, each reward component) without a
/// migration, and a curve is one index range scan on (run, name, step).</summary>
public sealed class Metric
{
    public required Guid RunId { get; init; }
    public required string Name { get; init; }
    public required int Step { get; init; }
    public required double Value { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
}
