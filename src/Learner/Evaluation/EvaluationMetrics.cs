namespace Pipeline.Learner.Evaluation;

/// <summary>A held-out evaluation as metrics, stored at step = the evaluated policy version: <c>eval/accuracy</c>,
/// <c>eval/format_rate</c>, <c>eval/mean_completion_tokens</c> (greedy), with k &gt; 0 <c>eval/pass@k</c>, and on
/// Countdown <c>eval/self_verification_rate</c> (greedy completions that check a result and go on after a failed
/// check).</summary>
public static class EvaluationMetrics
{
    public static Dictionary<string, double> Of(PolicyScore score)
    {
        var values = new Dictionary<string, double> { ["eval/accuracy"] = score.Accuracy, ["eval/format_rate"] = score.FormatRate };
        if (score.K > 0 && !double.IsNaN(score.PassAtK)) values[$"eval/pass@{score.K}"] = score.PassAtK;
        if (!double.IsNaN(score.MeanCompletionTokens)) values["eval/mean_completion_tokens"] = score.MeanCompletionTokens;
        if (!double.IsNaN(score.SelfVerificationRate)) values["eval/self_verification_rate"] = score.SelfVerificationRate;
        return values;
    }
}
