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

    /// <summary>PostgreSQL only: how many times a command that failed with a transient error (the server restarting,
    /// a dropped connection) is tried again, with exponential back-off, before the failure reaches the caller. With the
    /// defaults a database that is away for about a minute and a half is waited out. 0 turns retrying off.</summary>
    public int RetryCount { get; set; } = 10;

    /// <summary>PostgreSQL only: the longest wait between two tries, in seconds.</summary>
    public double MaxRetryDelaySeconds { get; set; } = 15;

    public string EffectiveConnectionString => string.IsNullOrWhiteSpace(ConnectionString)
        ? Provider == StorageProvider.Sqlite ? DefaultSqliteConnectionString : ""
        : ConnectionString;
}
