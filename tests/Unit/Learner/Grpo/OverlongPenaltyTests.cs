using Pipeline.Learner.Grpo;

namespace Pipeline.Tests.Unit.Learner.Grpo;

public sealed class OverlongPenaltyTests
{
    const double Tolerance = 1e-12;

    [Theory]
    // max 16, buffer 4: free up to 16 − 4 = 12 tokens, then −(length − 12) / 4
    [InlineData(5, 0.0)]
    [InlineData(12, 0.0)]
    [InlineData(13, -0.25)]
    [InlineData(14, -0.5)]
    [InlineData(16, -1.0)]
    [InlineData(20, -1.0)]
    public void Penalty_ramps_linearly_through_the_buffer(int length, double expected)
    {
        Assert.Equal(expected, OverlongPenalty.Compute(length, maxCompletionTokens: 16, buffer: 4, factor: 1.0), Tolerance);
    }

    [Fact]
    public void Factor_scales_the_penalty()
    {
        // 15 tokens is 3 into a 4-token buffer: −0.5 × 3/4 = −0.375
        Assert.Equal(-0.375, OverlongPenalty.Compute(15, maxCompletionTokens: 16, buffer: 4, factor: 0.5), Tolerance);
    }

    [Fact]
    public void A_zero_buffer_turns_the_penalty_off_and_that_is_the_default()
    {
        Assert.Equal(0.0, OverlongPenalty.Compute(16, maxCompletionTokens: 16, buffer: 0, factor: 1.0));
        Assert.Equal(0.0, OverlongPenalty.Compute(16, maxCompletionTokens: 16, new GrpoOptions()));
    }

    [Fact]
    public void Options_supply_buffer_and_factor()
    {
        var options = new GrpoOptions { OverlongBuffer = 8, OverlongPenaltyFactor = 2.0 };

        // free up to 32 − 8 = 24 tokens; 26 is 2 into the buffer: −2 × 2/8 = −0.5
        Assert.Equal(-0.5, OverlongPenalty.Compute(26, maxCompletionTokens: 32, options), Tolerance);
    }

    [Fact]
    public void A_buffer_longer_than_the_budget_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OverlongPenalty.Compute(4, maxCompletionTokens: 8, buffer: 9, factor: 1.0));
    }
}
