using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Pipeline.Data;

/// <summary>Brings the configured database to the latest migration: at every start, and for
/// <c>pipeline db migrate</c>. Creates the SQLite file (and its folder) or the PostgreSQL database if missing.</summary>
public sealed class DatabaseMigrator(IDbContextFactory<PipelineDbContext> contexts, IOptions<StorageOptions> options)
{
    /// <summary>The advisory-lock key migrations take on PostgreSQL ("PIPELINE" in ASCII).</summary>
    const long MigrationLock = 0x50495045_4C494E45;

    /// <summary>Applies what is pending and returns the names of the migrations it applied (empty when up to date).</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var storage = options.Value;
        if (storage.Provider == StorageProvider.Sqlite)
            CreateSqliteFolder(storage.EffectiveConnectionString);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (storage.Provider == StorageProvider.Sqlite)
            // Persistent in the file; lets readers proceed while one writer commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);

        if (storage.Provider != StorageProvider.Postgres)
        {
            var pending = await PendingAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            return pending;
        }
        if (!await db.Database.CanConnectAsync(cancellationToken))
        {
            try
            {
                await db.GetService<IRelationalDatabaseCreator>().CreateAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
            {
                // Another service created it a moment ago.
            }
        }

        // Two services starting at once (two learners, a learner and `pipeline replay`) would both apply the same
        // migration, and the second fail half-way ("column already exists"): a session-level advisory lock makes
        // them take turns, and the second then finds nothing pending.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
            var pending = await PendingAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            return pending;
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Migrations defined in code but not yet applied to the database (all of them if it does not exist).</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await PendingAsync(db, cancellationToken);
    }

    static async Task<IReadOnlyList<string>> PendingAsync(PipelineDbContext db, CancellationToken cancellationToken) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList()
            : db.Database.GetMigrations().ToList();

    static void CreateSqliteFolder(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (dataSource is "" or ":memory:")
            return;
        var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
    }
}
