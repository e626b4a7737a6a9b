namespace Pipeline.Data;

/// <summary>The <c>Storage</c> configuration section, e.g. <c>Storage__Provider=postgres</c> and
/// <c>Storage__ConnectionString=Host=...;Database=pipeline;Username=...</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The embedded database, relative to the working directory; its folder is created on migration.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=.pipeline/pipeline.db";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Optional for sqlite (defaults to <see cref="DefaultSqliteConnectionString"/>); required for postgres.</summary>
    public string? ConnectionString { get; set; }

    public string EffectiveConnectionString => string.IsNullOrWhiteSpace(ConnectionString)
        ? Provider == StorageProvider.Sqlite ? DefaultSqliteConnectionString : ""
        : ConnectionString;
}
