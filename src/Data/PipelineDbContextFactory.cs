using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Pipeline.Data;

/// <summary>Creates a short-lived context of the configured provider. Stores create one per operation, so they
/// are safe to call from many consumers at once.</summary>
public sealed class PipelineDbContextFactory : IDbContextFactory<PipelineDbContext>
{
    readonly Func<PipelineDbContext> create;

    public PipelineDbContextFactory(IOptions<StorageOptions> options) : this(options.Value)
    {
    }

    public PipelineDbContextFactory(StorageOptions storage)
    {
        var connectionString = storage.EffectiveConnectionString;
        switch (storage.Provider)
        {
            case StorageProvider.Sqlite:
                var sqlite = PipelineDbContextOptions.ForSqlite(connectionString);
                create = () => new SqlitePipelineDbContext(sqlite);
                break;
            case StorageProvider.Postgres:
                var postgres = PipelineDbContextOptions.ForPostgres(connectionString, storage.RetryCount, TimeSpan.FromSeconds(storage.MaxRetryDelaySeconds));
                create = () => new PostgresPipelineDbContext(postgres);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(storage), storage.Provider, "unknown Storage:Provider");
        }
    }

    public PipelineDbContext CreateDbContext() => create();
}
