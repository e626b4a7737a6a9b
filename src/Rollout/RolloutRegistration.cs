using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Rollout.Consumers;

namespace Pipeline.Rollout;

public static class RolloutRegistration
{
    /// <summary>The rollout worker's services; the host adds storage (<c>AddPipelineData</c>) for the policy locator.</summary>
    public static IServiceCollection AddRolloutWorker(this IServiceCollection services)
    {
        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPolicyLocator, DatabasePolicyLocator>();
        services.AddSingleton<PolicyCache>();
        services.AddSingleton<RolloutGenerator>();
        return services;
    }

    public static void AddRolloutConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<GenerateRolloutsConsumer, GenerateRolloutsConsumerDefinition>();
        bus.AddConsumer<PolicyPublishedConsumer, PolicyPublishedConsumerDefinition>();
    }
}
