using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Hosting;

/// <summary>The shared setup of the rollout, verifier and learner executables. Settings come from the environment
/// (<c>Section__Key</c>) and an optional JSON file named by <c>PIPELINE_CONFIG</c> — each service ships no
/// appsettings.json of its own, so the services stay configurable in containers and never collide with the
/// <c>pipeline</c> command's file. Logs are JSON lines on standard output; <c>Health:Url</c> (e.g.
/// http://0.0.0.0:8080) serves <c>/health</c> (also <c>/health/ready</c>) with the state of the bus and of whatever
/// else the service registers (the learner adds its database), <c>/health/live</c>, and <c>/metrics</c> for
/// Prometheus (<see cref="PipelineTelemetry"/>). On RabbitMQ a service stops, for its supervisor to restart it, when
/// its bus stays stuck while the broker answers (<see cref="BusWatchdog"/>).</summary>
public static class ServiceHost
{
    /// <summary>The host setting that decides whether the host's default JSON sources reload on change.</summary>
    public const string ReloadConfigOnChangeKey = "hostBuilder:reloadConfigOnChange";

    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // The application name stays the entry assembly's: ASP.NET Core loads the assembly of that name to look
        // for hosting-startup attributes, and a name like "learner" made every service log a Critical error at start.
        // Settings are read once, at start: nothing reloads them while a service runs. A reloading JSON source (the
        // host's default for appsettings.json, even where there is none) watches the content root — the working
        // directory — and every directory below it: one inotify watch per directory, the default checkpoint
        // directory's one-per-policy-version included (3,251 on a development machine), and a wake-up of the
        // watcher thread for each checkpoint file written.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [$"--{ReloadConfigOnChangeKey}=false", .. args] });
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
        var shutdown = TimeSpan.FromSeconds(builder.Configuration.GetValue("Host:ShutdownSeconds", 60));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown);
        builder.Services.Configure<MassTransitHostOptions>(o => o.StopTimeout = shutdown);
        builder.Services.AddHealthChecks();
        if (builder.Configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>()?.Configured == true)
            BusWatchdog.Register(builder.Services);
        builder.AddPipelineTelemetry();
        return builder;
    }

    /// <summary>Maps the health and telemetry endpoints and runs until stopped.</summary>
    public static Task RunAsync(WebApplication app)
    {
        app.MapPipelineTelemetry();
        return app.RunAsync();
    }
}
