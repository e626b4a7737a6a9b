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

    public static async ValueTask DropAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var pooled = new NpgsqlConnection(connectionString))
            NpgsqlConnection.ClearPool(pooled);

        await using var server = new NpgsqlConnection(ServerConnectionString);
        await server.OpenAsync();
        await using var drop = server.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }
}
