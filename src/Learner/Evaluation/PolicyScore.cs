namespace Pipeline.Learner.Evaluation;

/// <summary>A policy's held-out figures: greedy accuracy and format rate, and pass@k of k samples at temperature 1.</summary>
public sealed record PolicyScore(double Accuracy, double FormatRate, double PassAtK, int K, int Problems)
{
    /// <summary>pass@1 estimated from the k samples (the mean share correct per problem); NaN when k = 0.</summary>
    public double PassAt1 { get; init; } = double.NaN;

    /// <summary>How many greedy answers got each verdict of the task's rules (for code: accepted, wrong-answer,
    /// bad-format, …), by verdict.</summary>
    public IReadOnlyDictionary<string, int> Verdicts { get; init; } = new Dictionary<string, int>();
}
