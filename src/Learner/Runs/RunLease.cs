using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Data.Stores;

namespace Pipeline.Learner.Runs;

/// <summary>
/// One learner per run: a lease row in the run database (<see cref="RunStore.TryHoldLeaseAsync"/>). A learner trains a
/// run only while it holds the run's lease; it renews the lease every quarter of <see cref="LearnerOptions.LeaseSeconds"/>
/// and once more before each step, and stops the run at once — without failing it — when another learner has taken
/// it. A lease row rather than a PostgreSQL advisory lock: it works the same on SQLite, survives a database restart,
/// and shows in the runs table who trains what.
/// </summary>
public sealed class RunLease(RunStore runs, IOptions<LearnerOptions> options, ILogger<RunLease> logger)
{
    /// <summary>This learner process, as its leases name it: host, process id and a random part (a restarted process
    /// with a reused pid is a different learner).</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public TimeSpan Duration => TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    /// <summary>How often the holder renews, and how often a standby looks for runs whose lease ran out.</summary>
    public TimeSpan RenewEvery => Duration / 4;

    public Task<bool> TryHoldAsync(Guid runId, CancellationToken cancellationToken) =>
        runs.TryHoldLeaseAsync(runId, Owner, Duration, cancellationToken);

    public Task ReleaseAsync(Guid runId) => runs.ReleaseLeaseAsync(runId, Owner, CancellationToken.None);

    /// <summary>Renews the lease until <paramref name="stop"/>; when another learner has taken the run (or it is no longer
    /// running), calls <paramref name="lost"/> and ends. A renewal that fails (the database away) is tried again at the
    /// next tick: while nobody can reach the database nobody can take the lease either.</summary>
    public async Task KeepAsync(Guid runId, Action lost, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(RenewEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    if (await TryHoldAsync(runId, stop)) continue;
                    logger.LogWarning("Run {RunId}: this learner ({Owner}) no longer holds the run's lease; another learner trains it now", runId, Owner);
                    lost();
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Run {RunId}: renewing the lease failed ({Message}); trying again", runId, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
