using System.Text.Json.Serialization;
using Pipeline.Contracts;

namespace Pipeline.Rewards.Code;

/// <summary>The verdict of one test; printed in JSONL as <c>{"verdict": "wrong-answer", "detail": "…"}</c>.</summary>
public sealed record CodeTestResult(
    [property: JsonPropertyName("verdict")] CodeVerdict Verdict,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null);

/// <summary>A scored completion of a code task: the score the learner sees, plus every test's verdict.</summary>
public sealed record CodeScoreResult(
    [property: JsonPropertyName("score")] CompletionScore Score,
    [property: JsonPropertyName("tests")] IReadOnlyList<CodeTestResult> Tests,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail = null)
{
    [JsonIgnore]
    public CodeVerdict Verdict => CodeVerdictNames.FromWire(Score.Verdict) ?? CodeVerdict.SandboxError;
}
