using System.Text.Json;
using Pipeline.Cli.Output;
using Pipeline.Learner.Evaluation;

namespace Pipeline.Tests.Unit.Cli;

public sealed class DemoResultsTests
{
    [Fact]
    public void Pass_at_k_is_named_by_its_k_and_a_rate_that_does_not_apply_is_left_out()
    {
        using var countdown = JsonDocument.Parse(JsonResults.Serialize(PolicyFigures.Of(new PolicyScore(0.05, 1, 0.375, 64, 100) { MeanCompletionTokens = 52.25, SelfVerificationRate = 0.5 })));
        Assert.Equal(0.375, countdown.RootElement.GetProperty("pass_at_64").GetDouble());
        Assert.Equal(52.25, countdown.RootElement.GetProperty("mean_completion_tokens").GetDouble());
        Assert.Equal(0.5, countdown.RootElement.GetProperty("self_verification_rate").GetDouble());

        using var arithmetic = JsonDocument.Parse(JsonResults.Serialize(PolicyFigures.Of(new PolicyScore(0.3, 1, 0.9, 8, 200) { MeanCompletionTokens = 28 })));
        Assert.Equal(0.9, arithmetic.RootElement.GetProperty("pass_at_8").GetDouble());
        Assert.False(arithmetic.RootElement.TryGetProperty("self_verification_rate", out _));
        Assert.False(arithmetic.RootElement.TryGetProperty("pass_at_k", out _));
    }
}
