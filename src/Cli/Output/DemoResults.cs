using System.Text.Json.Serialization;
using Pipeline.Learner.Evaluation;

namespace Pipeline.Cli.Output;

/// <summary>The contract of <c>pipeline demo --json</c>: rates are fractions in [0, 1]; accuracy is greedy on the
/// held-out split; <c>policy_versions</c> counts the versions GRPO produced (the base policy, version 0, excluded).
/// <c>curve</c> holds every held-out evaluation, the base policy's first (version 0); <c>mean_completion_tokens</c>
/// and <c>self_verification_rate</c> are the same evaluations' greedy completion length and, on Countdown, the share
/// of greedy completions that check a result against the target and go on after a failed check.</summary>
public sealed record DemoResults(
    PolicyFigures Base,
    PolicyFigures Final,
    double CorpusAccuracy,
    int PolicyVersions,
    Guid RunId,
    int HeldOutProblems,
    IReadOnlyList<CurvePoint> Curve,
    IReadOnlyList<VersionValue> MeanCompletionTokens,
    IReadOnlyList<VersionValue>? SelfVerificationRate,
    double PretrainSeconds,
    double TrainingSeconds,
    double WallSeconds);

/// <summary>A policy's held-out figures; pass@k is written as <c>pass_at_K</c> (<c>pass_at_8</c>, <c>pass_at_64</c>).</summary>
public sealed record PolicyFigures(
    double Accuracy,
    double FormatRate,
    double MeanCompletionTokens,
    double? SelfVerificationRate)
{
    /// <summary>Named by its k, so it is written as an extra property rather than a fixed one.</summary>
    [JsonExtensionData]
    public Dictionary<string, object?> PassAtK { get; init; } = [];

    public static PolicyFigures Of(PolicyScore score) => new(
        score.Accuracy,
        score.FormatRate,
        score.MeanCompletionTokens,
        JsonResults.Finite(score.SelfVerificationRate))
    {
        PassAtK = { [$"pass_at_{score.K}"] = JsonResults.Finite(score.PassAtK) },
    };
}

/// <summary>Held-out greedy accuracy of one policy version (0: the base policy), from the evaluations.</summary>
public sealed record CurvePoint(int Version, double Accuracy);

/// <summary>One figure of one policy version's held-out evaluation.</summary>
public sealed record VersionValue(int Version, double Value);
