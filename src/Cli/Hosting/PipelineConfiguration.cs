using Microsoft.Extensions.Configuration;

namespace Pipeline.Cli.Hosting;

/// <summary>Settings follow .NET conventions, later sources winning: appsettings.json beside the program, the
/// environment (<c>Section__Key</c>), the <c>--config</c> file, then <c>--set Section:Key=value</c>. Binding and
/// validating a section is <see cref="Pipeline.Hosting.OptionsBinding"/>'s.</summary>
public static class PipelineConfiguration
{
    public static IConfigurationRoot Build(FileInfo? configFile, IEnumerable<string>? overrides)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables();
        if (configFile is not null)
        {
            if (!configFile.Exists) throw new FileNotFoundException($"settings file '{configFile.FullName}' does not exist");
            builder.AddJsonFile(configFile.FullName, optional: false);
        }
        builder.AddInMemoryCollection(ParseOverrides(overrides ?? []));
        return builder.Build();
    }

    /// <summary>The <c>--set</c> values alone, as configuration: for commands that apply only what the user set
    /// explicitly (a replay's overrides of its source run's settings).</summary>
    public static IConfigurationRoot Overrides(IEnumerable<string>? overrides) =>
        new ConfigurationBuilder().AddInMemoryCollection(ParseOverrides(overrides ?? [])).Build();

    static IEnumerable<KeyValuePair<string, string?>> ParseOverrides(IEnumerable<string> overrides)
    {
        foreach (var item in overrides)
        {
            int equals = item.IndexOf('=');
            if (equals <= 0) throw new ArgumentException($"--set expects Section:Key=value, not '{item}'");
            yield return new(item[..equals].Trim().Replace("__", ":"), item[(equals + 1)..]);
        }
    }
}
