using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Hosting;

/// <summary>The one bus setup every host uses — the three services, the embedded all-in-one host and the commands
/// that only send: RabbitMQ when <c>RabbitMq:Host</c> is set, else MassTransit's in-memory transport. Either way
/// endpoints follow MassTransit's kebab-case convention and are durable on RabbitMQ, and the host waits until the
/// bus has started (otherwise early publishes are lost on a new topology).</summary>
public static class PipelineTransport
{
    /// <param name="consumers">registers the host's consumers</param>
    /// <param name="inProcess">the in-memory transport whatever the configuration says (the embedded host)</param>
    public static IServiceCollection AddPipelineBus(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator> consumers, bool inProcess = false)
    {
        services.AddMassTransit(bus =>
        {
            consumers(bus);
            bus.UsePipelineTransport(configuration, inProcess);
        });
        services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        return services;
    }

    /// <summary>The transport alone, for a bus registered elsewhere (MassTransit's test harness on the real broker).</summary>
    public static void UsePipelineTransport(this IBusRegistrationConfigurator bus, IConfiguration configuration, bool inProcess = false)
    {
        bus.SetKebabCaseEndpointNameFormatter();
        // MassTransit reports usage to its vendor by default; services here often have no route out, and a
        // training cluster should not phone home.
        bus.DisableUsageTelemetry();
        var options = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        if (inProcess || !options.Configured)
        {
            bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            return;
        }
        OptionsBinding.Validate(options, RabbitMqOptions.Section);
        bus.UsingRabbitMq((context, cfg) =>
        {
            cfg.Host(options.Host, (ushort)options.Port, options.VirtualHost, h =>
            {
                if (options.Username is not null) h.Username(options.Username);
                if (options.Password is not null) h.Password(options.Password);
                h.MaxMessageSize((uint)options.MaxMessageSizeMb * 1024 * 1024);
            });
            cfg.ConfigureEndpoints(context);
        });
    }
}
