using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Learner.Evaluation;
using Pipeline.Verifier;

namespace Pipeline.Orchestration;

/// <summary>The verifier's rules and the evaluator for commands that need no bus (eval, verify, pretrain).</summary>
public static class CommandServices
{
    public static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddVerifier();
        services.AddSingleton<PolicyEvaluator>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
