using System.Text.Json;

namespace Pipeline.Tests.Integration.Services;

/// <summary>One line a service wrote. The services log JSON lines (<c>AddJsonConsole</c>); a line that is not JSON
/// (an unhandled exception on standard error, say) keeps only its text.</summary>
public sealed record LogLine(string Text, string? Category, string? Message, IReadOnlyDictionary<string, string> State)
{
    public static LogLine Parse(string text)
    {
        if (!text.StartsWith('{')) return new LogLine(text, null, null, new Dictionary<string, string>());
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var state = new Dictionary<string, string>();
            if (root.TryGetProperty("State", out var values) && values.ValueKind == JsonValueKind.Object)
                foreach (var value in values.EnumerateObject())
                    state[value.Name] = value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString()! : value.Value.GetRawText();
            return new LogLine(text, StringProperty(root, "Category"), StringProperty(root, "Message"), state);
        }
        catch (JsonException)
        {
            return new LogLine(text, null, null, new Dictionary<string, string>());
        }
    }

    /// <summary>The message template the line was logged with (e.g. "Sampling batch {BatchId} of run {RunId} …").</summary>
    public string? Template => State.GetValueOrDefault("{OriginalFormat}");

    public bool Is(string templateStart) => Template?.StartsWith(templateStart, StringComparison.Ordinal) == true;

    public int Int(string name) => int.Parse(State[name], System.Globalization.CultureInfo.InvariantCulture);

    public Guid Guid(string name) => System.Guid.Parse(State[name]);

    static string? StringProperty(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
