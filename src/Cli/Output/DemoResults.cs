using System.Text.Json.Serialization;

namespace Pipeline.Cli.Output;

/// <summary>The contract of <c>pipeline demo --json</c>: rates are fractions in [0, 1]; accuracy is greedy on the
/// held-out split; <c>policy_versions</c> counts the versions GRPO produced (the base policy, version 0, excluded).</summary>
public sealed record DemoResults(
    PolicyFigures Base,
    PolicyFigures Final,
    double CorpusAccuracy,
    int PolicyVersions,
    Guid RunId,
    int HeldOutProblems,
    IReadOnlyList<CurvePoint> Curve,
    double PretrainSeconds,
    double TrainingSeconds,
    double WallSeconds);

public sealed record PolicyFigures(
    double Accuracy,
    double FormatRate,
    [property: JsonPropertyName("pass_at_8")] double? PassAt8);

/// <summary>Held-out greedy accuracy of one policy version, from the background evaluations.</summary>
public sealed record CurvePoint(int Version, double Accuracy);
