using System.Diagnostics.Metrics;
using Pipeline.Hosting;

namespace Pipeline.Tests.Unit.Hosting;

public sealed class PipelineMeterTests
{
    [Fact]
    public void A_step_is_recorded_as_one_gauge_per_metric_tagged_with_the_run_and_counted()
    {
        var run = Guid.NewGuid();
        var seen = new List<(string Instrument, double Value, string? Run)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PipelineMeter.Name) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => seen.Add((instrument.Name, value, Tag(tags))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => seen.Add((instrument.Name, value, Tag(tags))));
        listener.Start();
        using var meter = new PipelineMeter();

        meter.RecordStep(run, new Dictionary<string, double> { ["reward"] = 0.5, ["rewards/accuracy/mean"] = 0.25 });

        Assert.Contains(("pipeline.step.reward", 0.5, run.ToString()), seen);
        Assert.Contains(("pipeline.step.rewards.accuracy.mean", 0.25, run.ToString()), seen);
        Assert.Contains(("pipeline.steps", 1.0, run.ToString()), seen);
    }

    static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == "run_id") return tag.Value as string;
        return null;
    }
}
