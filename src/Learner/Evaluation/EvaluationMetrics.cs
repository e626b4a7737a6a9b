namespace Pipeline.Learner.Evaluation;

/// <summary>A held-out evaluation as metrics, stored at step = the evaluated policy version: <c>eval/accuracy</c>,
/// <c>eval/format_rate</c>, the share of greedy answers with each verdict (<c>eval/verdict/{verdict}</c>, so a code
/// evaluation shows whether its programs ran and how they failed) and, with k &gt; 0, <c>eval/pass@k</c> and
/// <c>eval/pass@1</c> (estimated from the same k samples), <c>eval/mean_completion_tokens</c> (greedy) and, on
/// Countdown, <c>eval/self_verification_rate</c> (greedy completions that check a result against the target and go on
/// after a failed check).</summary>
public static class EvaluationMetrics
{
    public static Dictionary<string, double> Of(PolicyScore score)
    {
        var values = new Dictionary<string, double> { ["eval/accuracy"] = score.Accuracy, ["eval/format_rate"] = score.FormatRate };
        foreach (var (verdict, count) in score.Verdicts)
            values[$"eval/verdict/{verdict}"] = (double)count / score.Problems;
        if (score.K > 0 && !double.IsNaN(score.PassAtK)) values[$"eval/pass@{score.K}"] = score.PassAtK;
        if (score.K > 1 && !double.IsNaN(score.PassAt1)) values["eval/pass@1"] = score.PassAt1;
        if (!double.IsNaN(score.MeanCompletionTokens)) values["eval/mean_completion_tokens"] = score.MeanCompletionTokens;
        if (!double.IsNaN(score.SelfVerificationRate)) values["eval/self_verification_rate"] = score.SelfVerificationRate;
        return values;
    }
}
