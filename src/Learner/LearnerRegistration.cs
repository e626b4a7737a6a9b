using Hangfire;
using Hangfire.PostgreSql;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Learner.Consumers;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Runs;
using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Learner;

public static class LearnerRegistration
{
    /// <summary>The learner's services and settings (sections "Run", "Grpo", "Task", all validated at start).
    /// The host adds Hangfire storage and a server, storage (<c>AddPipelineData</c>) and the verifier's scorers.</summary>
    public static IServiceCollection AddLearner(this IServiceCollection services)
    {
        services.AddOptions<RunSettings>().BindConfiguration(RunSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GrpoOptions>().BindConfiguration(GrpoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ArithmeticOptions>().BindConfiguration(ArithmeticOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WeightPublisher>();
        services.AddSingleton<RunCoordinator>();
        services.AddSingleton<PolicyEvaluator>();
        services.AddTransient<EvaluationJob>();
        return services;
    }

    /// <summary>Hangfire for the background evaluations: PostgreSQL storage when the run database is PostgreSQL
    /// (<c>Hangfire:ConnectionString</c>, else <c>Storage:ConnectionString</c>), in-memory storage otherwise.</summary>
    public static IServiceCollection AddLearnerJobs(this IServiceCollection services, IConfiguration configuration)
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
