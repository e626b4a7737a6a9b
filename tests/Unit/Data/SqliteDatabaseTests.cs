using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Data;

namespace Pipeline.Tests.Data;

/// <summary>What only the embedded provider does: create its folder and file, and run in WAL mode.</summary>
public sealed class SqliteDatabaseTests
{
    [Fact]
    public async Task Migrating_creates_the_folder_and_file_and_leaves_the_database_in_wal_mode()
    {
        using var folder = new TempDirectory();
        var connectionString = $"Data Source={folder.File("a/b/pipeline.db")}";
        var options = Options.Create(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = connectionString });
        var migrator = new DatabaseMigrator(new PipelineDbContextFactory(options), options);

        var applied = await migrator.MigrateAsync();

        Assert.NotEmpty(applied);
        Assert.True(File.Exists(folder.File("a/b/pipeline.db")));
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'scored_groups';";
            Assert.Equal(1L, (long?)await command.ExecuteScalarAsync());
        }
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Every_connection_waits_for_a_busy_writer_instead_of_failing()
    {
        using var folder = new TempDirectory();
        var options = new StorageOptions { ConnectionString = $"Data Source={folder.File("pipeline.db")}" };
        await using (var db = new PipelineDbContextFactory(options).CreateDbContext())
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout;";
            Assert.Equal(30000L, (long?)await command.ExecuteScalarAsync());
        }
        SqliteConnection.ClearAllPools();
    }
}
