using System.Globalization;

namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline runs metrics</c> and <c>runs plot</c> over a finished embedded run's database.</summary>
[Collection(TrainedTinyRunCollection.Name)]
public sealed class RunsMetricsTests(TrainedTinyRun run)
{
    [Fact]
    public async Task Runs_metrics_csv_holds_exactly_the_stored_values()
    {
        var metrics = await run.Pipeline.RunAsync(TrainedTinyRun.Limit, "runs", "metrics", run.RunId.ToString(), "--csv", "metrics.csv");
        Assert.True(metrics.ExitCode == 0, metrics.Output);

        var lines = await File.ReadAllLinesAsync(run.Pipeline.PathOf("metrics.csv"));
        Assert.Equal("name,step,value", lines[0]);
        var rows = lines.Skip(1).Select(line => line.Split(',')).Select(f => (f[0], int.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture)));
        Assert.Equal(await run.StoredMetricsAsync(), rows.ToArray());
    }

    [Fact]
    public async Task Runs_metrics_names_picks_series_and_refuses_an_unknown_name()
    {
        var picked = await run.Pipeline.RunAsync(TrainedTinyRun.Limit, "runs", "metrics", run.RunId.ToString(), "--names", "reward,kl", "--csv", "-");
        Assert.True(picked.ExitCode == 0, picked.Output);
        var names = picked.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).Distinct();
        Assert.Equal(["kl", "reward"], names);

        var unknown = await run.Pipeline.RunAsync(TrainedTinyRun.Limit, "runs", "metrics", run.RunId.ToString(), "--names", "no_such_metric");
        Assert.True(unknown.ExitCode == 2, unknown.Output);
        Assert.Contains("no_such_metric", unknown.StandardError);
    }

    [Theory]
    [InlineData("curves.png", new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' })]
    [InlineData("curves.svg", new byte[] { (byte)'<', (byte)'s', (byte)'v', (byte)'g' })]
    public async Task Runs_plot_writes_a_figure_of_the_chosen_format(string file, byte[] magic)
    {
        var plot = await run.Pipeline.RunAsync(TrainedTinyRun.Limit, "runs", "plot", run.RunId.ToString(), "--names", "reward,kl,entropy", "--out", file);
        Assert.True(plot.ExitCode == 0, plot.Output);
        var bytes = await File.ReadAllBytesAsync(run.Pipeline.PathOf(file));
        Assert.Equal(magic, bytes[..4]);
    }
}
