using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Data.Stores;

namespace Pipeline.Learner.Runs;

/// <summary>When the learner service has started (its bus included), takes up every run still marked running whose
/// lease no live learner holds (<see cref="RunCoordinator.ResumeAsync"/>), and keeps looking every lease-renewal
/// period: a second learner stands by and takes a run over once the learner that held it has died. A run that cannot
/// be resumed is failed with the reason, never left running. Only the learner service resumes: the one-process mode of
/// <c>pipeline train</c> follows only its own run.</summary>
public sealed class RunResumer(RunStore runs, RunCoordinator coordinator, RunLease lease, IHostApplicationLifetime lifetime, ILogger<RunResumer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        while (true)
        {
            try
            {
                await TakeUpAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database away: the next look tries again.
                logger.LogWarning("Looking for runs to take up failed ({Message}); trying again", e.Message);
            }
            await Task.Delay(lease.RenewEvery, stoppingToken);
        }
    }

    async Task TakeUpAsync(CancellationToken stoppingToken)
    {
        foreach (var run in await runs.ListResumableAsync(stoppingToken))
        {
            if (coordinator.IsActive(run.Id)) continue;
            try
            {
                await coordinator.ResumeAsync(run.Id, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Run {RunId} cannot be resumed", run.Id);
                await runs.MarkFailedAsync(run.Id, $"the learner could not resume the run: {e.Message}", CancellationToken.None);
            }
        }
    }
}
