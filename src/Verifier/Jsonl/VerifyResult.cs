using Pipeline.Contracts;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;

namespace Pipeline.Verifier.Jsonl;

/// <summary>One output line of <c>pipeline verify</c>: <c>{"reward", "accuracy", "format", "verdict"}</c>; for a
/// code line also <c>"tests": [{"verdict", "detail"?}, …]</c> and, when no program could be extracted,
/// <c>"detail"</c>; <c>"error"</c> (naming the problem and the line) when the line was not scored at all; with
/// <c>--explain</c>, for a math line, <c>"parsed_reference"</c> and <c>"parsed_answer"</c>: the trees the answers
/// were judged on (absent where one could not be read).</summary>
public sealed record VerifyResult(
    double Reward,
    int Accuracy,
    int Format,
    string Verdict,
    string? Error = null,
    IReadOnlyList<CodeTestResult>? Tests = null,
    string? Detail = null,
    string? ParsedReference = null,
    string? ParsedAnswer = null)
{
    public static VerifyResult From(CompletionScore score) => new(
        score.Reward,
        (int)score.Components.GetValueOrDefault(RewardComponents.Accuracy),
        (int)score.Components.GetValueOrDefault(RewardComponents.Format),
        score.Verdict);

    public static VerifyResult From(CodeScoreResult result) =>
        From(result.Score) with { Tests = result.Tests, Detail = result.Detail };

    public static VerifyResult Invalid(string error) => new(0, 0, 0, Verdicts.InvalidInput, error);

    /// <summary>A code line the verifier refused because its sandbox cannot be established here: no reward.</summary>
    public static VerifyResult Refused(string error) => new(0, 0, 0, Verdicts.SandboxError, error);
}
