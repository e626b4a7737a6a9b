using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Hosting;
using Pipeline.Learner;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Rollout;
using Pipeline.Verifier;

namespace Pipeline.Orchestration;

/// <summary>The zero-setup mode: rollout worker, verifier and learner as hosted consumers in one process, on
/// MassTransit's in-memory transport (<see cref="PipelineTransport.AddPipelineBus"/>, the services' own bus setup),
/// with the database of <c>Storage:*</c> (the embedded SQLite file by default) and Hangfire's in-memory storage.
/// The same registrations run as separate processes on RabbitMQ and PostgreSQL. Logs go to standard error, so a
/// command's results on standard output stay clean.</summary>
public static class EmbeddedHost
{
    public static IHost Build(IConfiguration configuration, params IRunObserver[] observers)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        var services = builder.Services;
        services.AddVerifier();
        services.AddRolloutWorker();
        services.AddLearner(builder.Configuration);
        foreach (var observer in observers) services.AddSingleton(observer);
        services.AddPipelineBus(builder.Configuration, bus =>
        {
            bus.AddRolloutConsumers();
            bus.AddVerifierConsumers();
            bus.AddLearnerConsumers();
        }, inProcess: true);
        TorchRuntime.Configure(TorchRuntime.SideBySide(builder.Configuration.GetValue<int>("Rollout:TorchThreads")));
        return builder.Build();
    }
}
