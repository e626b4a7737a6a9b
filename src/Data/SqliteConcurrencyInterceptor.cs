using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Pipeline.Data;

/// <summary>Lets several services of one process write the embedded database at once. The database runs in WAL
/// mode (set once by <see cref="DatabaseMigrator"/>; it persists in the file), so readers never block the writer;
/// writers queue on SQLite's own busy handler instead of failing with "database is locked". Write transactions
/// start as BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default), so they wait for the lock up front rather than
/// failing when a read lock cannot be upgraded.</summary>
sealed class SqliteConcurrencyInterceptor : DbConnectionInterceptor
{
    public static readonly SqliteConcurrencyInterceptor Instance = new();

    /// <summary>busy_timeout: how long a writer waits for the lock. synchronous=NORMAL is WAL's recommended
    /// setting: never corrupts, may lose the last commits on power loss (the embedded bus is in memory anyway).</summary>
    const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
