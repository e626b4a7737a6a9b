using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Hosting;
using Pipeline.Learner.Runs;

namespace Pipeline.Orchestration;

/// <summary>A run executed by separately running services: this program only sends <see cref="StartRun"/> to the
/// learner over the configured broker, and follows the run in the shared database.</summary>
public static class RemoteRun
{
    public static async Task<Guid> StartAsync(IConfiguration configuration, RunSettings settings, CancellationToken cancellation)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddPipelineBus(builder.Configuration, _ => { });
        using var host = builder.Build();
        await host.StartAsync(cancellation);
        try
        {
            var runId = NewId.NextGuid();
            var endpoint = await host.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri($"queue:{Queues.StartRun}"));
            await endpoint.Send(new StartRun { RunId = runId, ConfigJson = settings.ToJson() }, cancellation);
            return runId;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Waits until the learner has taken the run up (its row exists) or <paramref name="limit"/> has passed
    /// (null): a learner that refuses the run fails it at once, with the reason.</summary>
    public static async Task<RunSummary?> WaitStartedAsync(IConfiguration configuration, Guid runId, TimeSpan limit, CancellationToken cancellation)
    {
        await using var services = StorageServices.Build(configuration);
        var query = services.GetRequiredService<RunSummaryQuery>();
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (await query.GetAsync(runId, cancellation) is { } summary) return summary;
            if (DateTime.UtcNow > deadline) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellation);
        }
    }

    /// <summary>Polls the run once a second until it has failed, or finished with its final version's evaluation
    /// stored, or <paramref name="limit"/> has passed (<see cref="TimeoutException"/>); <paramref name="progress"/>
    /// hears every poll.</summary>
    public static async Task<RunSummary> WaitAsync(IConfiguration configuration, Guid runId, TimeSpan limit,
        Action<RunSummary> progress, CancellationToken cancellation)
    {
        await using var services = StorageServices.Build(configuration);
        var query = services.GetRequiredService<RunSummaryQuery>();
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var summary = await query.GetAsync(runId, cancellation);
            if (summary is not null)
            {
                progress(summary);
                bool finished = summary.Run.Status != RunStatus.Running;
                bool evaluated = summary.LatestEvaluation?.PolicyVersion == (summary.LatestPolicyVersion ?? 0);
                if (summary.Run.Status == RunStatus.Failed || (finished && evaluated)) return summary;
                if (DateTime.UtcNow > deadline)
                {
                    if (finished) return summary;
                    throw new TimeoutException($"run {runId} is still {summary.Run.Status.ToString().ToLowerInvariant()} after {limit}");
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"run {runId} never appeared in the database: is a learner running on this broker?");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
        }
    }
}
