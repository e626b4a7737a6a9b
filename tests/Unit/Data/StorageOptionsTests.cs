using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Data;

namespace Pipeline.Tests.Data;

public sealed class StorageOptionsTests
{
    static StorageOptions Resolve(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        using var services = new ServiceCollection().AddPipelineData(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<StorageOptions>>().Value;
    }

    [Fact]
    public void With_no_settings_storage_is_an_sqlite_file_under_dot_pipeline()
    {
        var options = Resolve();
        Assert.Equal(StorageProvider.Sqlite, options.Provider);
        Assert.Equal("Data Source=.pipeline/pipeline.db", options.EffectiveConnectionString);
    }

    [Fact]
    public void The_provider_is_read_in_lower_case_from_configuration()
    {
        var options = Resolve(("Storage:Provider", "postgres"), ("Storage:ConnectionString", "Host=db;Database=pipeline"));
        Assert.Equal(StorageProvider.Postgres, options.Provider);
        Assert.Equal("Host=db;Database=pipeline", options.EffectiveConnectionString);
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(("Storage:Provider", "postgres")));
        Assert.Contains("Storage:ConnectionString is required", error.Message);
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<OptionsValidationException>(
            () => Resolve(("Storage:ConnectionString", "Data Source=x.db;Frobnicate=yes")));
        Assert.Contains("Storage:ConnectionString is not a valid sqlite connection string", error.Message);
    }

    [Fact]
    public void An_unknown_provider_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(("Storage:Provider", "mysql")));
        Assert.Contains("Storage:Provider", error.Message);
    }
}
