using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pipeline.Rewards.Code;
using Pipeline.Rewards.Countdown;
using Pipeline.Sandboxing;

namespace Pipeline.Rewards;

public static class RewardsServiceCollectionExtensions
{
    /// <summary>The reward rules of every built-in task kind, for whoever scores text: the verifier service, the
    /// learner's held-out evaluation, the <c>pipeline</c> command. Binds the reward options (section "Rewards") and
    /// the sandbox limits (section "Sandbox"), both validated at start; registers the math, Countdown and code scorers and the
    /// <see cref="CompletionScorerRouter"/>. The sandbox is established once, on first use; where it cannot be, code
    /// tasks are refused and math is scored as ever. Another task kind registers its own
    /// <see cref="ICompletionScorer"/> singleton beside these.</summary>
    public static IServiceCollection AddRewards(this IServiceCollection services)
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICompletionScorer, CountdownScorer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICompletionScorer, CodeCompletionScorer>());
        services.TryAddSingleton<CompletionScorerRouter>();
        return services;
    }
}
