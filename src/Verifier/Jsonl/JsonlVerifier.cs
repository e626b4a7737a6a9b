using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Verifier.Rewards;

namespace Pipeline.Verifier.Jsonl;

/// <summary>Scores a JSONL stream of <c>{"completion": "…", "answer": "…", "kind"?: "…"}</c> lines, writing one
/// <see cref="VerifyResult"/> line per input line, in order, as each is read. A line that cannot be scored
/// (bad JSON, a missing or mistyped field, an unknown kind, a blank line) becomes an <c>invalid-input</c> result
/// whose error names the problem and the line number, and the run goes on.</summary>
public sealed class JsonlVerifier(CompletionScorerRouter router)
{
    static readonly VerifyJsonContext Json = new(new JsonSerializerOptions
    {
        // The output is read by people too: keep '<', '"' and non-ASCII text in error messages legible.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    public async Task<VerifySummary> RunAsync(TextReader input, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        int lines = 0, invalid = 0, correct = 0;
        while (await input.ReadLineAsync(ct) is { } line)
        {
            var result = Verify(line, ++lines);
            if (result.Verdict == Verdicts.InvalidInput)
                invalid++;
            else if (result.Accuracy == 1)
                correct++;
            await output.WriteLineAsync(JsonSerializer.Serialize(result, Json.VerifyResult).AsMemory(), ct);
        }
        await output.FlushAsync(ct);
        return new VerifySummary(lines, invalid, correct);
    }

    VerifyResult Verify(string line, int lineNumber)
    {
        try
        {
            var (completion, answer, kind) = Read(line);
            return VerifyResult.From(router.Resolve(kind).Score(lineNumber, completion, answer));
        }
        catch (ScoringInputException e)
        {
            return VerifyResult.Invalid($"line {lineNumber}: {e.Message}");
        }
    }

    static (string Completion, string Answer, string? Kind) Read(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
            throw new ScoringInputException("the line is blank");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            throw new ScoringInputException($"not valid JSON (at byte {e.BytePositionInLine})", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ScoringInputException($"expected a JSON object, got {Describe(root.ValueKind)}");
            var completion = RequiredString(root, "completion");
            var answer = RequiredString(root, "answer");
            string? kind = null;
            if (root.TryGetProperty("kind", out var kindElement) && kindElement.ValueKind != JsonValueKind.Null)
                kind = kindElement.ValueKind == JsonValueKind.String
                    ? kindElement.GetString()
                    : throw new ScoringInputException($"\"kind\" must be a string, got {Describe(kindElement.ValueKind)}");
            return (completion, answer, kind);
        }
    }

    static string RequiredString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var element))
            throw new ScoringInputException($"\"{name}\" is missing");
        return element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new ScoringInputException($"\"{name}\" must be a string, got {Describe(element.ValueKind)}");
    }

    static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

[JsonSerializable(typeof(VerifyResult))]
partial class VerifyJsonContext : JsonSerializerContext;
