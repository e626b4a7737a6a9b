namespace Pipeline.Learner.Evaluation;

/// <summary>A held-out evaluation as metrics, stored at step = the evaluated policy version: <c>eval/accuracy</c>,
/// <c>eval/format_rate</c> and, with k &gt; 0, <c>eval/pass@k</c>.</summary>
public static class EvaluationMetrics
{
    public static Dictionary<string, double> Of(PolicyScore score)
    {
        var values = new Dictionary<string, double> { ["eval/accuracy"] = score.Accuracy, ["eval/format_rate"] = score.FormatRate };
        if (score.K > 0 && !double.IsNaN(score.PassAtK)) values[$"eval/pass@{score.K}"] = score.PassAtK;
        return values;
    }
}
