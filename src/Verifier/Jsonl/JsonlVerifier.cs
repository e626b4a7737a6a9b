using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Code;

namespace Pipeline.Verifier.Jsonl;

/// <summary>Scores a JSONL stream, writing one <see cref="VerifyResult"/> line per input line, in order, as each is
/// read. A math line is <c>{"completion": "…", "answer": "…", "kind"?: "math"}</c>; a code line is
/// <c>{"kind": "code", "completion": "…", "tests"?: [{"input": "…", "output": "…"}, …], "test_code"?: "…"}</c>
/// (at least one of the two) and its result adds every test's verdict. A line that cannot be scored (bad JSON, a
/// missing or mistyped field, an unknown kind, a blank line) becomes an <c>invalid-input</c> result whose error
/// names the problem and the line number, and the run goes on. Where the code sandbox cannot be established, a
/// code line is refused as <c>sandbox-error</c> with the reason, and math lines are scored as ever.</summary>
public sealed class JsonlVerifier(CompletionScorerRouter router)
{
    static readonly VerifyJsonContext Json = new(new JsonSerializerOptions
    {
        // The output is read by people too: keep '<', '"' and non-ASCII text in error messages legible.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    public Task<VerifySummary> RunAsync(TextReader input, TextWriter output, CancellationToken ct) =>
        RunAsync(input, output, explain: false, ct);

    /// <param name="explain">add to each math result the parsed forms of its reference and answer</param>
    public async Task<VerifySummary> RunAsync(TextReader input, TextWriter output, bool explain, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        int lines = 0, invalid = 0, correct = 0, refused = 0;
        while (await input.ReadLineAsync(ct) is { } line)
        {
            var result = await VerifyAsync(line, ++lines, explain, ct);
            if (result.Verdict == Verdicts.InvalidInput)
                invalid++;
            else if (result.Verdict == Verdicts.SandboxError && result.Error is not null)
                refused++;
            else if (result.Accuracy == 1)
                correct++;
            await output.WriteLineAsync(JsonSerializer.Serialize(result, Json.VerifyResult).AsMemory(), ct);
        }
        await output.FlushAsync(ct);
        return new VerifySummary(lines, invalid, correct, refused);
    }

    async Task<VerifyResult> VerifyAsync(string line, int lineNumber, bool explain, CancellationToken ct)
    {
        try
        {
            var (completion, reference, scorer) = Read(line);
            if (scorer is CodeCompletionScorer code)
                return VerifyResult.From(await code.ScoreWithTestsAsync(lineNumber, completion, reference, ct));
            var result = VerifyResult.From(await scorer.ScoreAsync(lineNumber, completion, reference, ct));
            if (explain && scorer is MathScorer math)
            {
                var judgement = math.Explain(completion, reference);
                result = result with { ParsedReference = judgement.ReferenceForm, ParsedAnswer = judgement.AnswerForm };
            }
            return result;
        }
        catch (ScoringInputException e)
        {
            return VerifyResult.Invalid($"line {lineNumber}: {e.Message}");
        }
        catch (SandboxUnavailableException e)
        {
            return VerifyResult.Refused($"line {lineNumber}: {e.Message}");
        }
    }

    (string Completion, string Reference, ICompletionScorer Scorer) Read(string line)
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
            string? kind = null;
            if (root.TryGetProperty("kind", out var kindElement) && kindElement.ValueKind != JsonValueKind.Null)
                kind = kindElement.ValueKind == JsonValueKind.String
                    ? kindElement.GetString()
                    : throw new ScoringInputException($"\"kind\" must be a string, got {Describe(kindElement.ValueKind)}");
            var scorer = router.Resolve(kind);
            var reference = scorer is CodeCompletionScorer
                ? CodeReference.JsonOfLine(root) ?? throw new ScoringInputException("a code line needs \"tests\" or \"test_code\"")
                : RequiredString(root, "answer");
            return (completion, reference, scorer);
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
