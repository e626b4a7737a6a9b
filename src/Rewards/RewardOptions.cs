using System.ComponentModel.DataAnnotations;

namespace Pipeline.Rewards;

/// <summary>How the rule-based reward components combine: reward = AccuracyWeight·accuracy + FormatWeight·format.
/// DeepSeek-R1 (§2.2.2) uses an accuracy and a format reward but publishes no weights; the defaults keep a
/// correct but badly formatted answer (1.0) above a well formatted wrong one (0.5).
/// Bound from the "Rewards" section (environment: <c>Rewards__FormatWeight=0.2</c>).</summary>
public sealed class RewardOptions
{
    public const string SectionName = "Rewards";

    [Range(0.0, double.MaxValue, ErrorMessage = "Rewards:AccuracyWeight must be a finite number >= 0.")]
    public double AccuracyWeight { get; set; } = 1.0;

    [Range(0.0, double.MaxValue, ErrorMessage = "Rewards:FormatWeight must be a finite number >= 0.")]
    public double FormatWeight { get; set; } = 0.5;

    /// <summary>Countdown's partial credit, as a fraction of the accuracy reward: a well-formed equation over the
    /// given numbers that misses the target earns AccuracyWeight·CountdownPartialReward. TinyZero's
    /// <c>format_score</c> is 0.1 of its full score of 1. It lives here, not in the "Countdown" section, because
    /// the verifier scores with its own reward settings, and that section is the run's task, which no verifier
    /// reads.</summary>
    /// <summary>How far, relatively, a math answer written as a decimal may be from an exact reference (or the
    /// reverse) and still match, as "numeric-match": 0.3333333 for 1/3. Math-Verify rounds both to 6 decimal places
    /// (<c>float_rounding=6</c>); a relative 1e-6 is as lax for values near 1 and stricter for small ones (0.0000001
    /// does not match 0). Exact answers are always compared exactly.</summary>
    [Range(0.0, 0.1, ErrorMessage = "Rewards:MathDecimalTolerance must be between 0 and 0.1.")]
    public double MathDecimalTolerance { get; set; } = 1e-6;

    [Range(0.0, 1.0, ErrorMessage = "Rewards:CountdownPartialReward must be between 0 and 1.")]
    public double CountdownPartialReward { get; set; } = 0.1;
}
