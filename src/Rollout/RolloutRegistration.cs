using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Policy;
using Pipeline.Rollout.Consumers;

namespace Pipeline.Rollout;

public static class RolloutRegistration
{
    /// <summary>This worker process, as it names itself in logs and in its PolicyPublished queue's name.</summary>
    public static string WorkerId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();

    /// <summary>The rollout worker's services (section "Rollout"). No database: commands say where policies lie.</summary>
    public static IServiceCollection AddRolloutWorker(this IServiceCollection services)
    {
        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PolicyCache>();
        services.AddSingleton<RolloutGenerator>();
        return services;
    }

    public static void AddRolloutConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<GenerateRolloutsConsumer, GenerateRolloutsConsumerDefinition>();
        // Each worker instance listens on a queue of its own (deleted when it goes away), so PolicyPublished
        // fans out to every worker instead of being shared out like a command.
        bus.AddConsumer<PolicyPublishedConsumer, PolicyPublishedConsumerDefinition>()
            .Endpoint(e =>
            {
                e.InstanceId = WorkerId;
                e.Temporary = true;
            });
    }
}
