using Hangfire;
using Hangfire.PostgreSql;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;
using Pipeline.Learner.Consumers;
using Pipeline.Learner.Evaluation;
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
        services.AddSingleton<TrainingStepRunner>();
        services.AddSingleton<WeightPublisher>();
        services.AddSingleton<RunCoordinator>();
        services.AddSingleton<PolicyEvaluator>();
        services.AddTransient<EvaluationJob>();
        return services;
    }

    /// <summary>Hangfire for the background evaluations: PostgreSQL storage when the run database is PostgreSQL
    /// (<c>Hangfire:ConnectionString</c>, else <c>Storage:ConnectionString</c>), in-memory storage otherwise.</summary>
    /// <summary>The learner service takes up the runs a previous learner left running (<see cref="RunResumer"/>).</summary>
    public static IServiceCollection AddRunResumption(this IServiceCollection services) => services.AddHostedService<RunResumer>();

    static IServiceCollection AddLearnerJobs(this IServiceCollection services, IConfiguration configuration)
    {
        bool postgres = string.Equals(configuration["Storage:Provider"], "postgres", StringComparison.OrdinalIgnoreCase);
        var connectionString = configuration["Hangfire:ConnectionString"] ?? configuration["Storage:ConnectionString"];
        services.AddHangfire(c =>
        {
            if (postgres) c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString));
            else c.UseInMemoryStorage();
        });
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
