using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;
using Pipeline.Hosting;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Replay;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Rewards;

namespace Pipeline.Orchestration;

/// <summary>What the <c>pipeline replay</c> commands need: the run database, the reward rules, the evaluator and the
/// learner's step — no bus, no generation, no verifier service.</summary>
public static class ReplayServices
{
    /// <summary>The services over a database brought up to date first (a run recorded before the training-step
    /// record existed then reads as one without it, and a missing embedded database as one without the run).</summary>
    public static async Task<ServiceProvider> OpenAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var services = Build(configuration);
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        return services;
    }

    static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddSingleton<PipelineMeter>();
        services.AddPipelineData(configuration);
        services.AddRewards();
        services.AddSingleton<PolicyEvaluator>();
        services.AddSingleton<PolicyRecorder>();
        services.AddSingleton<TrainingStepRunner>();
        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.Section).ValidateDataAnnotations();
        services.AddSingleton<ReplayTrainer>();
        services.AddSingleton<ReplayScorer>();
        services.AddSingleton<ReplayExporter>();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
