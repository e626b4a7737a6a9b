namespace Pipeline.Data.Stores;

/// <summary>One point of a metric's curve.</summary>
public readonly record struct MetricPoint(int Step, double Value);
