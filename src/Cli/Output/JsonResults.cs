using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Cli.Output;

/// <summary>Writes a command's results for other tools: snake_case names, indented, NaN written as null.</summary>
public static class JsonResults
{
    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task WriteAsync(FileInfo? path, object results)
    {
        if (path is null) return;
        path.Directory?.Create();
        await File.WriteAllTextAsync(path.FullName, JsonSerializer.Serialize(results, Options));
    }

    /// <summary>JSON has no NaN: an unmeasured figure is null.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
