namespace Pipeline.Learner.Evaluation;

/// <summary>A policy's held-out figures: greedy accuracy and format rate, and pass@k of k samples at temperature 1.</summary>
public sealed record PolicyScore(double Accuracy, double FormatRate, double PassAtK, int K, int Problems)
{
    /// <summary>pass@1 estimated from the k samples (the mean share correct per problem); NaN when k = 0.</summary>
    public double PassAt1 { get; init; } = double.NaN;

    /// <summary>How many greedy answers got each verdict of the task's rules (for code: accepted, wrong-answer,
    /// bad-format, …), by verdict.</summary>
    public IReadOnlyDictionary<string, int> Verdicts { get; init; } = new Dictionary<string, int>();

    /// <summary>The greedy completions' mean length in tokens; NaN when only their text was given.</summary>
    public double MeanCompletionTokens { get; init; } = double.NaN;

    /// <summary>The share of greedy completions that verify themselves (<see cref="Tasks.Countdown.SelfVerification"/>):
    /// over the Countdown problems only, NaN when there is none, where the rule has nothing to look for.</summary>
    public double SelfVerificationRate { get; init; } = double.NaN;
}
