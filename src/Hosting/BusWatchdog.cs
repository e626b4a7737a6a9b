using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.Hosting;

/// <summary>
/// Stops a service whose bus stays unhealthy while its broker accepts connections (<see cref="BusStuckDetector"/>),
/// so that its supervisor (systemd, Kubernetes, compose's <c>restart:</c>) starts it afresh: a MassTransit bus cannot be
/// started again once stopped, so a new process is the one way to get fresh receive endpoints. A learner stopped this
/// way leaves its run <c>running</c>, as on SIGTERM, for the next learner (or this one, restarted) to resume.
/// </summary>
public sealed partial class BusWatchdog(IBusControl bus, IOptions<BusWatchdogOptions> options, IOptions<RabbitMqOptions> broker,
    IHostApplicationLifetime lifetime, ILogger<BusWatchdog> logger, TimeProvider time) : BackgroundService
{
    /// <summary>Registers the watchdog, its settings (<see cref="BusWatchdogOptions"/>, validated at start) and the
    /// broker's address it probes.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddOptions<BusWatchdogOptions>().BindConfiguration(BusWatchdogOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<BusWatchdog>();
    }

    /// <summary>The exit code of a service stopped by the watchdog: EX_TEMPFAIL of sysexits.h, "try again later".</summary>
    public const int ExitCode = 75;

    static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.BusStuckMinutes <= 0) return;
        var limit = TimeSpan.FromMinutes(settings.BusStuckMinutes);
        var detector = new BusStuckDetector(limit);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.CheckSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var health = bus.CheckHealth();
            bool healthy = health.Status == BusHealthStatus.Healthy;
            bool answers = !healthy && await BrokerPort.ProbeAsync(broker.Value.Host!, broker.Value.Port, ConnectTimeout, stoppingToken) is null;
            var now = time.GetUtcNow();
            if (!detector.Observe(now, healthy, answers)) continue;

            var endpoints = string.Join("; ", health.Endpoints.Where(e => e.Value.Status != BusHealthStatus.Healthy)
                .Select(e => $"{e.Key}: {e.Value.Description}"));
            LogStuck(logger, limit.TotalMinutes, broker.Value.Host, broker.Value.Port, health.Description,
                endpoints.Length > 0 ? endpoints : "(none listed)", ExitCode);
            Environment.ExitCode = ExitCode;
            lifetime.StopApplication();
            return;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The bus has not been healthy for {Minutes} min while the broker at {Host}:{Port} " +
        "accepts connections ({Description}; unhealthy endpoints: {Endpoints}): stopping with exit code {ExitCode} so that the " +
        "service's supervisor starts it afresh (Host:BusStuckMinutes)")]
    static partial void LogStuck(ILogger logger, double minutes, string? host, int port, string description, string endpoints, int exitCode);
}
