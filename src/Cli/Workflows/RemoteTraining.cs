using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Cli.Commands;
using Pipeline.Cli.Output;
using Pipeline.Contracts;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Hosting;
using Pipeline.Learner.Runs;
using Spectre.Console;

namespace Pipeline.Cli.Workflows;

/// <summary>A run executed by separately running services: the command only sends <see cref="StartRun"/> to the
/// learner over the configured broker, and follows the run in the shared database.</summary>
public static class RemoteTraining
{
    public static async Task<Guid> StartAsync(IConfiguration configuration, RunConfig config, CancellationToken cancellation)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddMassTransit(bus => bus.UsePipelineTransport(builder.Configuration));
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        using var host = builder.Build();
        await host.StartAsync(cancellation);
        try
        {
            var runId = NewId.NextGuid();
            var endpoint = await host.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri($"queue:{Queues.StartRun}"));
            await endpoint.Send(new StartRun { RunId = runId, ConfigJson = config.ToJson() }, cancellation);
            return runId;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Polls the run until it has finished and its final version's evaluation is stored (or
    /// <paramref name="limit"/> passes), printing progress when it changes.</summary>
    public static async Task<RunReport> WaitAsync(IConfiguration configuration, Guid runId, TimeSpan limit, CancellationToken cancellation)
    {
        await using var services = StorageServices.Build(configuration);
        var query = services.GetRequiredService<RunSummaryQuery>();
        var deadline = DateTime.UtcNow + limit;
        string last = "";
        while (true)
        {
            var summary = await query.GetAsync(runId, cancellation);
            if (summary is not null)
            {
                var report = RunReport.From(summary);
                var line = $"{report.Status}: {report.PolicyVersions} versions, {report.GroupsScored}/{report.GroupsExpected} groups scored";
                if (line != last) AnsiConsole.WriteLine(last = line);
                bool finished = summary.Run.Status != RunStatus.Running;
                bool evaluated = report.Final?.PolicyVersion == report.PolicyVersions;
                if (summary.Run.Status == RunStatus.Failed || (finished && evaluated)) return report;
                if (DateTime.UtcNow > deadline)
                {
                    if (finished) return report;
                    throw new TimeoutException($"run {runId} is still {report.Status} after {limit}");
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
