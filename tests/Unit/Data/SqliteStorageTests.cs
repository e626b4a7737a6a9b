using Microsoft.Data.Sqlite;
using Pipeline.Data;
using Pipeline.Tests.Data.Contract;

namespace Pipeline.Tests.Data;

/// <summary>The storage contract against a real SQLite file in a temporary folder.</summary>
public sealed class SqliteStorageTests : StorageContractTests
{
    protected override Task<TestStorage> CreateEmptyStorageAsync()
    {
        var folder = new TempDirectory();
        // A subfolder that does not exist yet: the migrator creates it, as it creates .pipeline/ for a new user.
        var connectionString = $"Data Source={folder.File("nested/pipeline.db")}";
        return Task.FromResult(new TestStorage(StorageProvider.Sqlite, connectionString, () =>
        {
            using (var connection = new SqliteConnection(connectionString))
                SqliteConnection.ClearPool(connection);
            folder.Dispose();
            return ValueTask.CompletedTask;
        }));
    }
}
