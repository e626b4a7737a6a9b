using Pipeline.Data;
using Pipeline.Tests.Data.Contract;

namespace Pipeline.Tests.Integration.Data;

/// <summary>The storage contract (shared with the SQLite unit tests) against a real PostgreSQL, one new database
/// per test.</summary>
public sealed class PostgresStorageTests : StorageContractTests
{
    protected override Task<TestStorage> CreateEmptyStorageAsync()
    {
        var connectionString = PostgresTestDatabase.NewDatabase();
        return Task.FromResult(new TestStorage(
            StorageProvider.Postgres, connectionString, () => PostgresTestDatabase.DropAsync(connectionString)));
    }
}
