namespace Pipeline.Learner.Evaluation;

/// <summary>A policy's held-out figures: greedy accuracy and format rate, and pass@k of k samples at temperature 1;
/// the greedy completions' mean length in tokens, and the share of them that verify themselves
/// (<see cref="Tasks.Countdown.SelfVerification"/>; NaN when no problem is a Countdown one, where the rule has nothing
/// to look for).</summary>
public sealed record PolicyScore(double Accuracy, double FormatRate, double PassAtK, int K, int Problems,
    double MeanCompletionTokens, double SelfVerificationRate);
