using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Verifier.Consumers;
using Pipeline.Verifier.Jsonl;
using Pipeline.Verifier.Rewards;

namespace Pipeline.Verifier;

public static class VerifierServiceCollectionExtensions
{
    /// <summary>The reward options (section "Rewards", validated at start), the built-in scorers, the router,
    /// <see cref="GroupScorer"/> and <see cref="JsonlVerifier"/>. Another task kind registers its own
    /// <see cref="ICompletionScorer"/> singleton beside these.</summary>
    public static IServiceCollection AddVerifier(this IServiceCollection services)
    {
        services.AddOptions<RewardOptions>()
            .BindConfiguration(RewardOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICompletionScorer, MathScorer>());
        services.TryAddSingleton<CompletionScorerRouter>();
        services.TryAddSingleton<GroupScorer>();
        services.TryAddSingleton<JsonlVerifier>();
        return services;
    }

    public static void AddVerifierConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<RolloutGroupGeneratedConsumer, RolloutGroupGeneratedConsumerDefinition>();
}
