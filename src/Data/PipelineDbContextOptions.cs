using Microsoft.EntityFrameworkCore;

namespace Pipeline.Data;

/// <summary>The one place that turns a connection string into context options, used at run time and at design time
/// (so generated migrations see exactly the model the program uses).</summary>
public static class PipelineDbContextOptions
{
    public static DbContextOptions<SqlitePipelineDbContext> ForSqlite(string connectionString) =>
        new DbContextOptionsBuilder<SqlitePipelineDbContext>()
            .UseSqlite(connectionString)
            .AddInterceptors(SqliteConcurrencyInterceptor.Instance)
            .UseSnakeCaseNamingConvention()
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options;

    /// <param name="retryCount">transient failures retried by Npgsql's execution strategy (0: none), and units of work
    /// whose transaction was lost (<see cref="PipelineRetryingExecutionStrategy"/>). A store that opens its own
    /// transaction must then run it through <see cref="Transactions.InTransactionAsync"/>.</param>
    public static DbContextOptions<PostgresPipelineDbContext> ForPostgres(string connectionString, int retryCount = 0, TimeSpan maxRetryDelay = default) =>
        new DbContextOptionsBuilder<PostgresPipelineDbContext>()
            .UseNpgsql(connectionString, npgsql =>
            {
                if (retryCount > 0) npgsql.ExecutionStrategy(dependencies => new PipelineRetryingExecutionStrategy(dependencies, retryCount, maxRetryDelay));
            })
            .UseSnakeCaseNamingConvention()
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options;
}
