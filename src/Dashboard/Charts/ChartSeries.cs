using Pipeline.Data.Stores;

namespace Pipeline.Dashboard.Charts;

/// <summary>One line of a chart: its label, colour and points in step order.</summary>
public sealed record ChartSeries(string Label, string Color, IReadOnlyList<MetricPoint> Points);
