using Microsoft.EntityFrameworkCore;
using Pipeline.Data;

namespace Pipeline.Tests.Data;

/// <summary>Each provider's generated migrations describe exactly the current model: a change to an entity or a
/// configuration without `dotnet ef migrations add` for both providers fails here.</summary>
public sealed class ModelTests
{
    [Fact]
    public void The_sqlite_migrations_match_the_model()
    {
        using var db = new SqlitePipelineDbContext(PipelineDbContextOptions.ForSqlite("Data Source=unused.db"));
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void The_postgres_migrations_match_the_model()
    {
        using var db = new PostgresPipelineDbContext(PipelineDbContextOptions.ForPostgres("Host=unused;Database=unused"));
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void Both_providers_have_the_same_migrations()
    {
        using var sqlite = new SqlitePipelineDbContext(PipelineDbContextOptions.ForSqlite("Data Source=unused.db"));
        using var postgres = new PostgresPipelineDbContext(PipelineDbContextOptions.ForPostgres("Host=unused;Database=unused"));
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_') + 1)..]);
        Assert.Equal(Names(sqlite), Names(postgres));
    }
}
