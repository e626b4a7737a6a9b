using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pipeline.Verifier.Code;
using Pipeline.Verifier.Consumers;
using Pipeline.Verifier.Jsonl;
using Pipeline.Verifier.Rewards;

namespace Pipeline.Verifier;

public static class VerifierServiceCollectionExtensions
{
    /// <summary>The reward options (section "Rewards") and sandbox limits (section "Sandbox"), both validated at
    /// start; the math and code scorers, the router, <see cref="GroupScorer"/> and <see cref="JsonlVerifier"/>.
    /// The sandbox is established once, on first use or by <see cref="CodeTaskStartupCheck"/>; where it cannot
    /// be, code tasks are refused and math is scored as ever. Another task kind registers its own
    /// <see cref="ICompletionScorer"/> singleton beside these.</summary>
    public static IServiceCollection AddVerifier(this IServiceCollection services)
    {
        services.AddOptions<RewardOptions>()
            .BindConfiguration(RewardOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>());
        services.TryAddSingleton<SandboxProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICompletionScorer, MathScorer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICompletionScorer, CodeCompletionScorer>());
        services.TryAddSingleton<CompletionScorerRouter>();
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
