using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Data;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;

namespace Pipeline.Orchestration;

/// <summary>How an embedded run ended, and the held-out figures of each version evaluated while it ran.</summary>
public sealed record EmbeddedRunResult(RunOutcome Outcome, IReadOnlyList<(int Version, PolicyScore Score)> Curve);

/// <summary>Runs one training run with every service in this process (<see cref="EmbeddedHost"/>) until it ends,
/// and lets the background evaluations of its last versions finish so that its curve is complete.</summary>
public static class EmbeddedRun
{
    /// <param name="observer">hears each step and evaluation (a progress display), or null</param>
    /// <param name="follow">given the run's completion, returns when it wants (a live display), or null</param>
    public static async Task<EmbeddedRunResult> RunAsync(IConfiguration configuration, RunSettings settings,
        IRunObserver? observer, Func<Task, Task>? follow, CancellationToken cancellation)
    {
        var curve = new CurveRecorder();
        IRunObserver[] observers = observer is null ? [curve] : [curve, observer];
        using var host = EmbeddedHost.Build(configuration, observers);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellation);
        await host.StartAsync(cancellation);
        try
        {
            var coordinator = host.Services.GetRequiredService<RunCoordinator>();
            var runId = await coordinator.StartAsync(settings, null, cancellation);
            var completion = coordinator.WaitAsync(runId);
            if (follow is not null) await follow(completion);
            var outcome = await completion;
            await WaitForEvaluationsAsync(host.Services.GetRequiredService<JobStorage>(), TimeSpan.FromMinutes(2), cancellation);
            return new EmbeddedRunResult(outcome, curve.Points);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    static async Task WaitForEvaluationsAsync(JobStorage storage, TimeSpan limit, CancellationToken cancellation)
    {
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow + limit;
        // Scheduled: an evaluation that failed and waits for Hangfire's automatic retry still belongs to the curve.
        while (DateTime.UtcNow < deadline && monitoring.EnqueuedCount("default") + monitoring.ProcessingCount() + monitoring.ScheduledCount() > 0)
            await Task.Delay(200, cancellation);
    }

    sealed class CurveRecorder : IRunObserver
    {
        readonly List<(int Version, PolicyScore Score)> _points = [];
        readonly Lock _lock = new();

        public IReadOnlyList<(int Version, PolicyScore Score)> Points
        {
            get { lock (_lock) return _points.OrderBy(p => p.Version).ToArray(); }
        }

        public void OnEvaluation(Guid runId, int policyVersion, PolicyScore score)
        {
            lock (_lock) _points.Add((policyVersion, score));
        }
    }
}
