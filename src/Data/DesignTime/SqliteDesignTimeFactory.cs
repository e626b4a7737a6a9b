using Microsoft.EntityFrameworkCore.Design;

namespace Pipeline.Data.DesignTime;

/// <summary>Used only by <c>dotnet ef migrations add ... --context SqlitePipelineDbContext</c>; nothing is opened.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePipelineDbContext>
{
    public SqlitePipelineDbContext CreateDbContext(string[] args) =>
        new(PipelineDbContextOptions.ForSqlite(StorageOptions.DefaultSqliteConnectionString));
}
