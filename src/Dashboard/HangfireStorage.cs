using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Dashboard;

/// <summary>Where Hangfire keeps its jobs: PostgreSQL when the run database is PostgreSQL
/// (<c>Hangfire:ConnectionString</c>, else <c>Storage:ConnectionString</c>), in memory otherwise. The learner's
/// evaluation jobs and the dashboard's view of them use the same choice, so a dashboard over PostgreSQL shows the
/// learner's jobs.</summary>
public static class HangfireStorage
{
    public static IGlobalConfiguration UseConfiguredStorage(this IGlobalConfiguration hangfire, IConfiguration configuration)
    {
        bool postgres = string.Equals(configuration["Storage:Provider"], "postgres", StringComparison.OrdinalIgnoreCase);
        var connectionString = configuration["Hangfire:ConnectionString"] ?? configuration["Storage:ConnectionString"];
        if (postgres) hangfire.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString));
        else hangfire.UseInMemoryStorage();
        return hangfire;
    }
}
