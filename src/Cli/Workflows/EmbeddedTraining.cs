using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Data;
using Pipeline.Learner.Runs;

namespace Pipeline.Cli.Workflows;

/// <summary>Runs one training run with every service in this process, showing progress until it ends.</summary>
public static class EmbeddedTraining
{
    public static async Task<(RunOutcome Outcome, IReadOnlyList<(int Version, double Accuracy)> Curve)> RunAsync(
        IConfiguration configuration, RunConfig config, CancellationToken cancellation)
    {
        var display = new TrainingDisplay(config.Run.Steps);
        using var host = EmbeddedHost.Build(configuration, display);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellation);
        await host.StartAsync(cancellation);
        try
        {
            var coordinator = host.Services.GetRequiredService<RunCoordinator>();
            var runId = await coordinator.StartAsync(config, null, cancellation);
            var completion = coordinator.WaitAsync(runId);
            await display.ShowUntilAsync(completion);
            var outcome = await completion;
            await WaitForEvaluationsAsync(host.Services.GetRequiredService<JobStorage>(), TimeSpan.FromMinutes(2), cancellation);
            return (outcome, display.Evaluations);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Lets the background evaluations of the last versions finish, so the run's curve is complete.</summary>
    static async Task WaitForEvaluationsAsync(JobStorage storage, TimeSpan limit, CancellationToken cancellation)
    {
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && monitoring.EnqueuedCount("default") + monitoring.ProcessingCount() > 0)
            await Task.Delay(200, cancellation);
    }
}
