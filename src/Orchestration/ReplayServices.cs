using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Replay;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Rewards;

namespace Pipeline.Orchestration;

/// <summary>What the <c>pipeline replay</c> commands need: the run database, the reward rules, the evaluator and the
/// learner's step — no bus, no generation, no verifier service. libtorch gets <c>Learner:TorchThreads</c> threads
/// (0: one per core, as a run's learner has by default), because a replay is bit-identical only on the same thread count.</summary>
public static class ReplayServices
{
    public static ServiceProvider Build(IConfiguration configuration)
    {
        TorchRuntime.Configure(configuration.GetValue<int>("Learner:TorchThreads"));
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddPipelineData(configuration);
        services.AddRewards();
        services.AddSingleton<PolicyEvaluator>();
        services.AddSingleton<PolicyRecorder>();
        services.AddSingleton<TrainingStepRunner>();
        services.AddSingleton<ReplayTrainer>();
        services.AddSingleton<ReplayExporter>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
