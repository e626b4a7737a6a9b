using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Tasks.Code;

/// <summary>One stdin → expected-stdout case.</summary>
public sealed record CodeTestCase(
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("output")] string Output);

/// <summary>The tests of a code task, stored as a prompt's Reference:
/// <c>{"tests": [{"input": "…", "output": "…"}, …], "test_code": "…"}</c>. Either part may be absent, not both.
/// <see cref="TestCode"/> is assert-style Python that calls the program's top-level functions; each top-level
/// <c>assert</c> and each top-level <c>test_*</c> function is one test.</summary>
public sealed record CodeReference
{
    static readonly JsonSerializerOptions Json = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonPropertyName("tests")]
    public IReadOnlyList<CodeTestCase> Tests { get; init; } = [];

    [JsonPropertyName("test_code")]
    public string? TestCode { get; init; }

    /// <summary>Parses and checks a reference; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static CodeReference Parse(string json)
    {
        CodeReference? reference;
        try
        {
            reference = JsonSerializer.Deserialize<CodeReference>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Code task reference is not valid: {e.Message}", e);
        }
        if (reference is null)
        {
            throw new FormatException("Code task reference is null.");
        }
        if (reference.Tests.Any(t => t is null || t.Input is null || t.Output is null))
        {
            throw new FormatException("Code task reference: every test needs a string \"input\" and \"output\".");
        }
        if (reference.Tests.Count == 0 && string.IsNullOrWhiteSpace(reference.TestCode))
        {
            throw new FormatException("Code task reference has neither \"tests\" nor \"test_code\".");
        }
        return reference;
    }

    public static bool TryParse(string json, out CodeReference? reference, out string? error)
    {
        try
        {
            reference = Parse(json);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            reference = null;
            error = e.Message;
            return false;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The reference a JSONL line carries in its own <c>"tests"</c> and <c>"test_code"</c> fields — the form
    /// of <c>pipeline verify</c>'s code lines and of code datasets — in its stored JSON form, unchecked; null when the
    /// line has neither field. <see cref="Parse"/> checks it.</summary>
    public static string? JsonOfLine(JsonElement line)
    {
        var parts = new List<string>(2);
        foreach (var name in (ReadOnlySpan<string>)["tests", "test_code"])
        {
            if (line.ValueKind == JsonValueKind.Object && line.TryGetProperty(name, out var element))
                parts.Add($"\"{name}\": {element.GetRawText()}");
        }
        return parts.Count > 0 ? "{" + string.Join(", ", parts) + "}" : null;
    }
}
