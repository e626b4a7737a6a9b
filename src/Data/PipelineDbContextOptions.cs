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

    public static DbContextOptions<PostgresPipelineDbContext> ForPostgres(string connectionString) =>
        new DbContextOptionsBuilder<PostgresPipelineDbContext>()
            .UseNpgsql(connectionString)
            .UseSnakeCaseNamingConvention()
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options;
}
