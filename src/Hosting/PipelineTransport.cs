using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Pipeline.Hosting;

/// <summary>One place that picks the transport: RabbitMQ when <c>RabbitMq:Host</c> is set, else in-memory. Either
/// way endpoints follow MassTransit's kebab-case convention and are durable on RabbitMQ.</summary>
public static class PipelineTransport
{
    public static void UsePipelineTransport(this IBusRegistrationConfigurator bus, IConfiguration configuration)
    {
        bus.SetKebabCaseEndpointNameFormatter();
        // MassTransit reports usage to its vendor by default; services here often have no route out, and a
        // training cluster should not phone home.
        bus.DisableUsageTelemetry();
        var options = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        if (!options.Configured)
        {
            bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            return;
        }
        Validate(options);
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

    static void Validate(RabbitMqOptions options)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, true))
            throw new OptionsValidationException(RabbitMqOptions.Section, typeof(RabbitMqOptions),
                results.Select(r => $"{RabbitMqOptions.Section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
