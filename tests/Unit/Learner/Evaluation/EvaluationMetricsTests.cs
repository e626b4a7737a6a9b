using Pipeline.Learner.Evaluation;

namespace Pipeline.Tests.Unit.Learner.Evaluation;

public sealed class EvaluationMetricsTests
{
    [Fact]
    public void Pass_at_1_and_pass_at_k_and_the_share_of_each_greedy_verdict_are_stored()
    {
        var score = new PolicyScore(Accuracy: 0.25, FormatRate: 0.5, PassAtK: 0.75, K: 4, Problems: 4)
        {
            PassAt1 = 0.375,
            Verdicts = new Dictionary<string, int> { ["accepted"] = 1, ["wrong-answer"] = 1, ["bad-format"] = 2 },
        };

        var metrics = EvaluationMetrics.Of(score);

        Assert.Equal(new Dictionary<string, double>
        {
            ["eval/accuracy"] = 0.25,
            ["eval/format_rate"] = 0.5,
            ["eval/pass@4"] = 0.75,
            ["eval/pass@1"] = 0.375,
            ["eval/verdict/accepted"] = 0.25,
            ["eval/verdict/wrong-answer"] = 0.25,
            ["eval/verdict/bad-format"] = 0.5,
        }, metrics);
    }

    [Fact]
    public void Without_samples_there_is_no_pass_at_k_and_with_one_pass_at_1_is_that_one()
    {
        var greedyOnly = EvaluationMetrics.Of(new PolicyScore(1, 1, double.NaN, 0, 2));
        var oneSample = EvaluationMetrics.Of(new PolicyScore(1, 1, 0.5, 1, 2) { PassAt1 = 0.5 });

        Assert.DoesNotContain(greedyOnly.Keys, k => k.StartsWith("eval/pass@"));
        Assert.Equal(0.5, oneSample["eval/pass@1"]);
        Assert.Equal(3, oneSample.Count);
    }

    [Fact]
    public void A_countdown_evaluation_adds_completion_length_and_self_verification()
    {
        var metrics = EvaluationMetrics.Of(new PolicyScore(0.25, 0.9, double.NaN, 0, 100) { MeanCompletionTokens = 41.5, SelfVerificationRate = 0.125 });

        Assert.Equal(41.5, metrics["eval/mean_completion_tokens"]);
        Assert.Equal(0.125, metrics["eval/self_verification_rate"]);
    }

    [Fact]
    public void Figures_that_do_not_apply_are_left_out()
    {
        var metrics = EvaluationMetrics.Of(new PolicyScore(0.5, 1, double.NaN, 0, 10) { MeanCompletionTokens = 12 });

        Assert.Equal(["eval/accuracy", "eval/format_rate", "eval/mean_completion_tokens"], metrics.Keys.Order());
    }
}
