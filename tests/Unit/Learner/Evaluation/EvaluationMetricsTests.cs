using Pipeline.Learner.Evaluation;

namespace Pipeline.Tests.Unit.Learner.Evaluation;

public sealed class EvaluationMetricsTests
{
    [Fact]
    public void A_countdown_evaluation_becomes_every_metric()
    {
        var metrics = EvaluationMetrics.Of(new PolicyScore(0.25, 0.9, 0.5, 64, 100, 41.5, 0.125));
        Assert.Equal(new Dictionary<string, double>
        {
            ["eval/accuracy"] = 0.25,
            ["eval/format_rate"] = 0.9,
            ["eval/pass@64"] = 0.5,
            ["eval/mean_completion_tokens"] = 41.5,
            ["eval/self_verification_rate"] = 0.125,
        }, metrics);
    }

    [Fact]
    public void Figures_that_do_not_apply_are_left_out()
    {
        var metrics = EvaluationMetrics.Of(new PolicyScore(0.5, 1, double.NaN, 0, 10, 12, double.NaN));
        Assert.Equal(["eval/accuracy", "eval/format_rate", "eval/mean_completion_tokens"], metrics.Keys.Order());
    }
}
