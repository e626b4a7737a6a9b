using Pipeline.Data.Stores;

namespace Pipeline.Dashboard;

/// <summary>The dashboard's reads, through Data's stores and read models: it never writes.</summary>
public sealed class DashboardReader(RunOverviewQuery overview, RunStore runs, PolicyVersionStore versions, EvaluationStore evaluations, MetricStore metrics)
{
    public Task<IReadOnlyList<RunOverview>> RunsAsync(CancellationToken cancellationToken) => overview.ListAsync(cancellationToken: cancellationToken);

    /// <returns>null when no such run exists</returns>
    public async Task<RunDetails?> RunAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        if (run is null) return null;
        return new RunDetails(run, await versions.ListAsync(runId, cancellationToken), await evaluations.ListAsync(runId, cancellationToken),
            await metrics.GetCurvesAsync(runId, cancellationToken: cancellationToken));
    }

    /// <summary>The run's curves by name, only <paramref name="names"/> when given.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>> SeriesAsync(Guid runId, IReadOnlyCollection<string>? names, CancellationToken cancellationToken)
    {
        var all = await metrics.GetCurvesAsync(runId, cancellationToken: cancellationToken);
        return names is null or { Count: 0 } ? all : all.Where(s => names.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value);
    }
}
