using Pipeline.Contracts;
using Pipeline.Verifier.Rewards;

namespace Pipeline.Verifier.Jsonl;

/// <summary>One output line of <c>pipeline verify</c>: <c>{"reward", "accuracy", "format", "verdict"}</c>, plus
/// <c>"error"</c> (naming the problem and the line) when the verdict is <c>invalid-input</c>.</summary>
public sealed record VerifyResult(double Reward, int Accuracy, int Format, string Verdict, string? Error = null)
{
    public static VerifyResult From(CompletionScore score) => new(
        score.Reward,
        (int)score.Components.GetValueOrDefault(RewardComponents.Accuracy),
        (int)score.Components.GetValueOrDefault(RewardComponents.Format),
        score.Verdict);

    public static VerifyResult Invalid(string error) => new(0, 0, 0, Verdicts.InvalidInput, error);
}
