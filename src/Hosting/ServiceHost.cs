using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Data;
using Pipeline.Policy;

namespace Pipeline.Hosting;

/// <summary>The shared setup of the rollout, verifier and learner executables. Settings come from the environment
/// (<c>Section__Key</c>) and an optional JSON file named by <c>PIPELINE_CONFIG</c> — each service ships no
/// appsettings.json of its own, so the services stay configurable in containers and never collide with the
/// <c>pipeline</c> command's file. Logs are JSON lines on standard output; <c>Health:Url</c> (e.g.
/// http://0.0.0.0:8080) serves <c>/health</c> with the broker's and the database's state.</summary>
public static class ServiceHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // The application name stays the entry assembly's: ASP.NET Core loads the assembly of that name to look
        // for hosting-startup attributes, and a name like "learner" made every service log a Critical error at start.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        var file = Environment.GetEnvironmentVariable("PIPELINE_CONFIG");
        if (!string.IsNullOrWhiteSpace(file)) builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);

        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        var url = builder.Configuration["Health:Url"];
        // Without a configured address the health endpoint takes a free loopback port, so several services can
        // share a machine.
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(url) ? "http://127.0.0.1:0" : url);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Host:ShutdownSeconds", 60)));
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Host:ShutdownSeconds", 60));
        });
        builder.Services.AddPipelineData(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        TorchRuntime.Configure(builder.Configuration.GetValue<int>("Rollout:TorchThreads"));
        return builder;
    }

    /// <summary>Applies the database migrations when <c>Storage:Migrate</c> is true (the learner's default), then
    /// runs until stopped.</summary>
    public static async Task RunAsync(WebApplication app, bool migrate)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions());
        if (app.Configuration.GetValue("Storage:Migrate", migrate))
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await app.RunAsync();
    }
}
