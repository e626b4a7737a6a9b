using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Pipeline.Data;

/// <summary>The embedded provider. Its migrations live in <c>Migrations/Sqlite</c>.</summary>
public sealed class SqlitePipelineDbContext(DbContextOptions<SqlitePipelineDbContext> options) : PipelineDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type and EF stores DateTimeOffset as text, which it cannot order or compare;
        // as a 64-bit integer (UTC ticks with the offset folded in) it sorts correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
