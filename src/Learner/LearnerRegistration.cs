using Hangfire;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Dashboard;
using Pipeline.Data;
using Pipeline.Hosting;
using Pipeline.Learner.Consumers;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Replay;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Rewards;

namespace Pipeline.Learner;

public static class LearnerRegistration
{
    /// <summary>The learner's services: the run database (section "Storage") with its health check, the reward
    /// rules for held-out evaluation, Hangfire for the evaluation jobs, and the run coordination. A run's own
    /// settings (Run, Grpo, Task) are not read here: they come with each run (<see cref="RunSettings"/>).</summary>
    public static IServiceCollection AddLearner(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LearnerOptions>().BindConfiguration(LearnerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PolicyOptions>().BindConfiguration(PolicyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddPipelineData(configuration);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddRewards();
        services.AddLearnerJobs(configuration);
        services.AddSingleton<PolicyRecorder>();
        services.AddSingleton<PipelineMeter>();
        services.AddSingleton<TrainingStepRunner>();
        services.AddSingleton<WeightPublisher>();
        services.AddSingleton<RunLease>();
        services.AddSingleton<BatchDispatcher>();
        services.AddSingleton<RunCoordinator>();
        services.AddSingleton<PolicyEvaluator>();
        services.AddTransient<EvaluationJob>();
        return services;
    }

    /// <summary>The dashboard over the learner's database (<see cref="DashboardRegistration"/>): its pages, API and
    /// Hangfire's dashboard of the evaluation jobs, with the completions of a step read as <c>replay export</c> reads
    /// them. The host maps it with <c>MapPipelineDashboard</c>.</summary>
    public static IServiceCollection AddLearnerDashboard(this IServiceCollection services)
    {
        services.AddPipelineDashboard();
        services.AddSingleton<ReplayExporter>();
        services.AddSingleton<IStepSamples, StepSamples>();
        return services;
    }

    /// <summary>The learner service takes up the runs a previous learner left running, and stands by to take over runs
    /// whose learner dies (<see cref="RunResumer"/>).</summary>
    public static IServiceCollection AddRunResumption(this IServiceCollection services) => services.AddHostedService<RunResumer>();

    /// <summary>Hangfire for the background evaluations: PostgreSQL storage when the run database is PostgreSQL
    /// (<c>Hangfire:ConnectionString</c>, else <c>Storage:ConnectionString</c>), in-memory storage otherwise
    /// (<see cref="HangfireStorage"/>, which the dashboard shares).</summary>
    static IServiceCollection AddLearnerJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHangfire(c => c.UseConfiguredStorage(configuration));
        services.AddHangfireServer(o => o.WorkerCount = configuration.GetValue("Hangfire:Workers", 1));
        return services;
    }

    public static void AddLearnerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<RolloutGroupScoredConsumer, RolloutGroupScoredConsumerDefinition>();
        bus.AddConsumer<StartRunConsumer, StartRunConsumerDefinition>();
        bus.AddConsumer<RunFaultConsumer>();
    }
}
