using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Pipeline.Data;

/// <summary>Checks <see cref="StorageOptions"/> at start, naming the setting that is wrong.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    const string Setting = StorageOptions.SectionName + ":" + nameof(StorageOptions.ConnectionString);

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!Enum.IsDefined(options.Provider))
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.SectionName}:{nameof(StorageOptions.Provider)} must be 'sqlite' or 'postgres'.");

        if (options.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail(
                $"{Setting} is required when {StorageOptions.SectionName}:Provider is 'postgres' " +
                "(e.g. Host=localhost;Database=pipeline;Username=pipeline;Password=...).");

        if (options.RetryCount is < 0 or > 100)
            return ValidateOptionsResult.Fail($"{StorageOptions.SectionName}:{nameof(StorageOptions.RetryCount)} must be between 0 and 100.");
        if (!(options.MaxRetryDelaySeconds is >= 0.1 and <= 600))
            return ValidateOptionsResult.Fail(
                $"{StorageOptions.SectionName}:{nameof(StorageOptions.MaxRetryDelaySeconds)} must be between 0.1 and 600 seconds.");

        try
        {
            if (options.Provider == StorageProvider.Sqlite)
            {
                var sqlite = new SqliteConnectionStringBuilder(options.EffectiveConnectionString);
                if (string.IsNullOrWhiteSpace(sqlite.DataSource))
                    return ValidateOptionsResult.Fail($"{Setting} must name a file with 'Data Source=PATH'.");
            }
            else
            {
                _ = new NpgsqlConnectionStringBuilder(options.EffectiveConnectionString);
            }
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail(
                $"{Setting} is not a valid {options.Provider.ToString().ToLowerInvariant()} connection string: {e.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
