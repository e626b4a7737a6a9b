using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Data;
using Pipeline.Learner;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Rollout;
using Pipeline.Verifier;

namespace Pipeline.Cli.Hosting;

/// <summary>The zero-setup mode: rollout worker, verifier and learner as hosted consumers in one process, on
/// MassTransit's in-memory transport, with the embedded SQLite database and Hangfire's in-memory storage. The same
/// consumers and services run as separate processes on RabbitMQ and PostgreSQL.</summary>
public static class EmbeddedHost
{
    public static IHost Build(IConfiguration configuration, params IRunObserver[] observers)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

        var services = builder.Services;
        services.AddPipelineData(builder.Configuration);
        services.AddVerifier();
        services.AddRolloutWorker();
        services.AddLearner();
        foreach (var observer in observers) services.AddSingleton(observer);
        services.AddLearnerJobs(builder.Configuration);
        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.DisableUsageTelemetry();
            bus.AddRolloutConsumers();
            bus.AddVerifierConsumers();
            bus.AddLearnerConsumers();
            bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        TorchRuntime.Configure(builder.Configuration.GetValue<int>("Rollout:TorchThreads"));
        return builder.Build();
    }
}
