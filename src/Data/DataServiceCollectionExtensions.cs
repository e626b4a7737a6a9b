using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pipeline.Data.Stores;

namespace Pipeline.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>Binds and validates the <c>Storage</c> section (at start), and registers the context factory of the
    /// configured provider, the <see cref="DatabaseMigrator"/>, the stores, <see cref="RunSummaryQuery"/> and <see cref="RunOverviewQuery"/>, all
    /// singletons (each operation opens its own short-lived context).</summary>
    public static IServiceCollection AddPipelineData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDbContextFactory<PipelineDbContext>, PipelineDbContextFactory>();
        services.TryAddSingleton<DatabaseMigrator>();
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<PolicyVersionStore>();
        services.TryAddSingleton<ScoredGroupStore>();
        services.TryAddSingleton<MetricStore>();
        services.TryAddSingleton<EvaluationStore>();
        services.TryAddSingleton<TrainingStepStore>();
        services.TryAddSingleton<ScoringRevisionStore>();
        services.TryAddSingleton<RunSummaryQuery>();
        services.TryAddSingleton<RunOverviewQuery>();
        return services;
    }
}
