using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Rewards;
using Pipeline.Verifier.Consumers;
using Pipeline.Verifier.Jsonl;

namespace Pipeline.Verifier;

public static class VerifierServiceCollectionExtensions
{
    /// <summary>The reward rules (<see cref="RewardsServiceCollectionExtensions.AddRewards"/>), plus
    /// <see cref="GroupScorer"/> for scored groups on the bus and <see cref="JsonlVerifier"/> for
    /// <c>pipeline verify</c>.</summary>
    public static IServiceCollection AddVerifier(this IServiceCollection services)
    {
        services.AddRewards();
        services.TryAddSingleton<GroupScorer>();
        services.TryAddSingleton<JsonlVerifier>();
        return services;
    }

    /// <summary>Establishes the sandbox when the host starts and logs whether code tasks are served (the verifier
    /// service; the <c>pipeline</c> command establishes it only when a code task arrives).</summary>
    public static IServiceCollection AddCodeTaskStartupCheck(this IServiceCollection services)
    {
        services.AddHostedService<CodeTaskStartupCheck>();
        return services;
    }

    public static void AddVerifierConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<RolloutGroupGeneratedConsumer, RolloutGroupGeneratedConsumerDefinition>();
}
