namespace Pipeline.Learner.Evaluation;

/// <summary>A policy's held-out figures: greedy accuracy and format rate, and pass@k of k samples at temperature 1.</summary>
public sealed record PolicyScore(double Accuracy, double FormatRate, double PassAtK, int K, int Problems);
