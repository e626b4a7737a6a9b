using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Pipeline.Cli.Hosting;
using Pipeline.Orchestration;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline dashboard [--urls URLS]</c>: serves the run dashboard over the database of Storage:* until
/// stopped (Ctrl-C ends it with exit code 0).</summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = $"Where to listen (ASP.NET Core's syntax; several separated by ';'). Anything but loopback needs Dashboard:Token.",
            DefaultValueFactory = _ => DashboardHost.DefaultUrls,
        };
        return PipelineCommand.Create("dashboard", "Serve the run dashboard: runs, curves, completions, comparisons, Hangfire's jobs and a JSON API.", [urls], async context =>
        {
            await using var app = await DashboardHost.OpenAsync(context.Configuration, context.Get(urls)!, context.Cancellation);
            await app.StartAsync(context.Cancellation);
            foreach (var address in app.Urls) context.Note($"dashboard: {address}");
            try
            {
                await app.WaitForShutdownAsync(context.Cancellation);
            }
            catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
            {
            }
            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        }, json: false);
    }
}
