using System.Globalization;
using Pipeline.Data.Stores;

namespace Pipeline.Cli.Output;

/// <summary>A run's metrics as CSV in long form — <c>name,step,value</c>, one row per stored value, by name then
/// step — so that every value is exactly the stored double (round-trip format) and a new metric adds rows, not
/// columns. A name is quoted when it holds a comma or a quote.</summary>
public static class MetricsCsv
{
    public const string Header = "name,step,value";

    public static async Task WriteAsync(TextWriter writer, IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> series)
    {
        await writer.WriteLineAsync(Header);
        foreach (var (name, points) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
            foreach (var point in points)
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Quoted(name)},{point.Step},{point.Value:R}"));
    }

    static string Quoted(string name) => name.Contains(',') || name.Contains('"') ? $"\"{name.Replace("\"", "\"\"")}\"" : name;
}
