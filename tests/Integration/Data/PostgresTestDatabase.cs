using Npgsql;

namespace Pipeline.Tests.Integration.Data;

/// <summary>Databases of their own for tests, on the PostgreSQL server named by <c>PIPELINE_TEST_POSTGRES</c>.</summary>
public static class PostgresTestDatabase
{
    public const string Variable = "PIPELINE_TEST_POSTGRES";

    /// <summary>The server's connection string; its user must be allowed to create databases.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                $"{Variable} is not set. The integration test command provisions PostgreSQL and sets it; run these " +
                "tests through that command, or set it to a connection string of a user who may create databases, " +
                $"e.g. {Variable}='Host=127.0.0.1;Port=5432;Username=pipeline;Password=...;Database=postgres'.");

    /// <summary>A connection string to a database name nobody else uses; the database itself is created by
    /// migrating (EF creates a missing database).</summary>
    public static string NewDatabase() =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = $"pipeline_test_{Guid.NewGuid():N}" }
            .ConnectionString;

    /// <summary>Drops a test's database. FORCE ends the test's own sessions, but not an autovacuum worker that happens
    /// to be in the database (only a superuser or pg_signal_backend may end that one: 42501, seen in CI); it finishes
    /// within moments, so the drop is tried again for up to half a minute, as is a transient failure.</summary>
    public static async ValueTask DropAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var pooled = new NpgsqlConnection(connectionString))
            NpgsqlConnection.ClearPool(pooled);

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var server = new NpgsqlConnection(ServerConnectionString);
                await server.OpenAsync();
                await using var drop = server.CreateCommand();
                drop.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (NpgsqlException e) when (e.IsTransient && attempt < 30)
            {
                // The server restarted since this pool's connection was last used (a server-restart test): 57P01 on
                // that first use, and the pool is cleared.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }
}
