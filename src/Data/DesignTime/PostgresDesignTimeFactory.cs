using Microsoft.EntityFrameworkCore.Design;

namespace Pipeline.Data.DesignTime;

/// <summary>Used only by <c>dotnet ef migrations add ... --context PostgresPipelineDbContext</c>; generating a
/// migration does not connect, so the connection string is a placeholder.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPipelineDbContext>
{
    public PostgresPipelineDbContext CreateDbContext(string[] args) =>
        new(PipelineDbContextOptions.ForPostgres("Host=localhost;Database=pipeline"));
}
