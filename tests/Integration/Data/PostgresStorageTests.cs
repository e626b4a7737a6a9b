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

    [Fact]
    public async Task Services_migrating_an_empty_database_at_once_take_turns_and_all_succeed()
    {
        var connectionString = PostgresTestDatabase.NewDatabase();
        var storages = Enumerable.Range(0, 3).Select(_ => new TestStorage(StorageProvider.Postgres, connectionString, () => ValueTask.CompletedTask)).ToArray();
        try
        {
            var applied = await Task.WhenAll(storages.Select(s => s.Migrator.MigrateAsync()));
            Assert.Single(applied, a => a.Count > 0);
            Assert.Empty(await storages[0].Migrator.PendingAsync());
        }
        finally
        {
            foreach (var storage in storages) await storage.DisposeAsync();
            await PostgresTestDatabase.DropAsync(connectionString);
        }
    }
}
