using MassTransit;
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

    public static void AddLearnerConsumers(this IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<RolloutGroupScoredConsumer, RolloutGroupScoredConsumerDefinition>();
}
