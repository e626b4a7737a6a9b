using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;
using Pipeline.Data.Stores;

namespace Pipeline.Tests.Data.Contract;

/// <summary>A database of its own for one test, wired exactly as a host wires it: configuration → AddPipelineData.</summary>
public sealed class TestStorage : IAsyncDisposable
{
    readonly ServiceProvider services;
    readonly Func<ValueTask> cleanUp;

    public TestStorage(StorageProvider provider, string connectionString, Func<ValueTask> cleanUp)
    {
        this.cleanUp = cleanUp;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = provider.ToString().ToLowerInvariant(),
                ["Storage:ConnectionString"] = connectionString,
            })
            .Build();
        services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Clock)
            .AddPipelineData(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    public DatabaseMigrator Migrator => services.GetRequiredService<DatabaseMigrator>();
    public RunStore Runs => services.GetRequiredService<RunStore>();
    public PolicyVersionStore PolicyVersions => services.GetRequiredService<PolicyVersionStore>();
    public ScoredGroupStore Groups => services.GetRequiredService<ScoredGroupStore>();
    public MetricStore Metrics => services.GetRequiredService<MetricStore>();
    public EvaluationStore Evaluations => services.GetRequiredService<EvaluationStore>();
    public RunSummaryQuery Summaries => services.GetRequiredService<RunSummaryQuery>();
    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await cleanUp();
    }
}
