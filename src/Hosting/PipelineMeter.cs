using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Pipeline.Hosting;

/// <summary>The <c>Pipeline</c> meter: the learner's step metrics as OpenTelemetry instruments, so that a Prometheus
/// scrape (<c>/metrics</c>) or an OTLP collector sees what the run database stores. Each step metric is a gauge
/// named <c>pipeline.step.{name}</c> (a <c>/</c> in the stored name becomes <c>.</c>), tagged with the run id; the
/// counter <c>pipeline.steps</c> counts steps recorded.</summary>
public sealed class PipelineMeter : IDisposable
{
    public const string Name = "Pipeline";

    readonly Meter _meter = new(Name);
    readonly ConcurrentDictionary<string, Gauge<double>> _gauges = new();
    readonly Counter<long> _steps;

    public PipelineMeter() => _steps = _meter.CreateCounter<long>("pipeline.steps", unit: "{step}", description: "training steps recorded");

    /// <summary>Records one step's values (names as stored in the run database).</summary>
    public void RecordStep(Guid runId, IReadOnlyDictionary<string, double> values)
    {
        var run = new KeyValuePair<string, object?>("run_id", runId.ToString());
        foreach (var (name, value) in values)
            _gauges.GetOrAdd(name, n => _meter.CreateGauge<double>(InstrumentName(n))).Record(value, run);
        _steps.Add(1, run);
    }

    /// <summary>The instrument name of a stored metric name: <c>rewards/accuracy/mean</c> → <c>pipeline.step.rewards.accuracy.mean</c>.
    /// OpenTelemetry allows letters, digits, <c>_ . - /</c>; other characters become <c>_</c>.</summary>
    public static string InstrumentName(string metric) =>
        "pipeline.step." + new string(metric.Select(c => c == '/' ? '.' : char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_').ToArray());

    public void Dispose() => _meter.Dispose();
}
