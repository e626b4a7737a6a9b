using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Cli.Output;

/// <summary>Writes a command's results for other tools: snake_case names, indented, NaN written as null; to a file,
/// or to standard output for <c>--json -</c>.</summary>
public static class JsonResults
{
    public const string Stdout = "-";

    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static bool IsStdout(string? target) => target == Stdout;

    public static string Serialize(object results) => JsonSerializer.Serialize(results, Options);

    /// <param name="target">null (write nothing), <c>-</c> (standard output) or a file path</param>
    public static async Task WriteAsync(string? target, object results)
    {
        if (target is null) return;
        if (IsStdout(target))
        {
            await Console.Out.WriteLineAsync(Serialize(results));
            await Console.Out.FlushAsync();
            return;
        }
        if (string.IsNullOrWhiteSpace(target)) throw new ArgumentException("--json needs a file path or '-'");
        await WriteAsync(new FileInfo(target), results);
    }

    public static async Task WriteAsync(FileInfo? path, object results)
    {
        if (path is null) return;
        path.Directory?.Create();
        await File.WriteAllTextAsync(path.FullName, Serialize(results));
    }

    /// <summary>JSON has no NaN: an unmeasured figure is null.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
