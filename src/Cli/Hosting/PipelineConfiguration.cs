using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Pipeline.Cli.Hosting;

/// <summary>Settings follow .NET conventions, later sources winning: appsettings.json beside the program, the
/// environment (<c>Section__Key</c>), the <c>--config</c> file, then <c>--set Section:Key=value</c>. Under them all,
/// the program's own defaults: console logs go to standard error, keeping standard output for results.</summary>
public static class PipelineConfiguration
{
    static readonly Dictionary<string, string?> ProgramDefaults = new()
    {
        ["Logging:Console:LogToStandardErrorThreshold"] = "Trace",
    };

    public static IConfigurationRoot Build(FileInfo? configFile, IEnumerable<string>? overrides)
    {
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(ProgramDefaults)
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

    /// <summary>Binds a section and validates its data annotations; a bad value stops with the setting's name.</summary>
    public static T Bind<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var value = new T();
        try
        {
            configuration.GetSection(section).Bind(value);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(section, typeof(T), [$"{section}: {e.InnerException?.Message ?? e.Message}"]);
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            throw new OptionsValidationException(section, typeof(T),
                results.Select(r => $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        return value;
    }

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
