using Pipeline.Learner.Grpo;

namespace Pipeline.Tests.Unit.Learner.Grpo;

/// <summary>How a batch cut into micro-batches weights and merges their losses: <see cref="PolicyLoss.Share"/> and
/// <see cref="PolicyLossStats.Combine"/> against values worked by hand.</summary>
public sealed class MicroBatchShareTests
{
    [Fact]
    public void Each_aggregation_weights_a_micro_batch_by_its_part_of_the_denominator()
    {
        // A batch of 4 sequences and 20 completion tokens; the micro-batch holds 1 sequence of 5 tokens.
        Assert.Equal(0.25, PolicyLoss.Share(LossAggregation.Grpo, 1, 5, 4, 20));
        Assert.Equal(0.25, PolicyLoss.Share(LossAggregation.DrGrpo, 1, 5, 4, 20));
        Assert.Equal(0.25, PolicyLoss.Share(LossAggregation.Dapo, 1, 5, 4, 20));
        // 3 sequences of 15 tokens: 3/4 of the sequences but 15/20 of the tokens; 1 sequence of 2 tokens out of 20.
        Assert.Equal(0.75, PolicyLoss.Share(LossAggregation.Grpo, 3, 15, 4, 20));
        Assert.Equal(0.1, PolicyLoss.Share(LossAggregation.Dapo, 1, 2, 4, 20), 1e-15);
    }

    [Fact]
    public void Dapo_micro_batches_of_empty_completions_weigh_nothing_and_an_all_empty_batch_divides_by_one()
    {
        Assert.Equal(0.0, PolicyLoss.Share(LossAggregation.Dapo, 2, 0, 4, 20));
        Assert.Equal(0.0, PolicyLoss.Share(LossAggregation.Dapo, 2, 0, 4, 0));
        Assert.Equal(0.5, PolicyLoss.Share(LossAggregation.Grpo, 2, 0, 4, 0));
    }

    [Theory]
    [InlineData(0, 0, 4, 20)]
    [InlineData(5, 5, 4, 20)]
    [InlineData(1, 21, 4, 20)]
    [InlineData(1, -1, 4, 20)]
    public void A_micro_batch_that_is_not_part_of_the_batch_is_an_error(int chunkSequences, long chunkTokens, int batchSequences, long batchTokens) =>
        Assert.Throws<ArgumentException>(() => PolicyLoss.Share(LossAggregation.Dapo, chunkSequences, chunkTokens, batchSequences, batchTokens));

    [Fact]
    public void Combined_statistics_weight_token_means_by_tokens_and_take_extremes_over_parts_with_tokens()
    {
        var a = new PolicyLossStats(MeanKl: 0.1, ClipFraction: 0.5, ClipLowFraction: 0.25, ClipHighFraction: 0.25, MeanRatio: 1.2, TokenCount: 3)
        { MinRatio = 0.8, MaxRatio = 1.5, MeanAbsLogRatio = 0.3, MaxAbsLogRatio = 0.4 };
        var b = new PolicyLossStats(MeanKl: 0.5, ClipFraction: 0.0, ClipLowFraction: 0.0, ClipHighFraction: 0.0, MeanRatio: 0.8, TokenCount: 1)
        { MinRatio = 0.7, MaxRatio = 0.9, MeanAbsLogRatio = 0.1, MaxAbsLogRatio = 0.2 };
        var empty = new PolicyLossStats(MeanKl: 0.0, ClipFraction: 0.0, ClipLowFraction: 0.0, ClipHighFraction: 0.0, MeanRatio: 0.0, TokenCount: 0);

        var combined = PolicyLossStats.Combine([a, empty, b]);

        // token means: (3·x_a + 1·x_b) / 4
        Assert.Equal(4, combined.TokenCount);
        Assert.Equal((3 * 0.1 + 0.5) / 4, combined.MeanKl!.Value, 1e-12);
        Assert.Equal(1.5 / 4, combined.ClipFraction, 1e-12);
        Assert.Equal(0.75 / 4, combined.ClipLowFraction, 1e-12);
        Assert.Equal((3 * 1.2 + 0.8) / 4, combined.MeanRatio, 1e-12);
        Assert.Equal((3 * 0.3 + 0.1) / 4, combined.MeanAbsLogRatio, 1e-12);
        // extremes over a and b only: the empty part's defaults (ratio 1, mismatch 0) are not values
        Assert.Equal((0.7, 1.5, 0.4), (combined.MinRatio, combined.MaxRatio, combined.MaxAbsLogRatio));
    }

    [Fact]
    public void Without_a_reference_the_combined_kl_stays_absent()
    {
        var part = new PolicyLossStats(MeanKl: null, ClipFraction: 0, ClipLowFraction: 0, ClipHighFraction: 0, MeanRatio: 1, TokenCount: 2);
        Assert.Null(PolicyLossStats.Combine([part, part]).MeanKl);
        Assert.Throws<ArgumentException>(() => PolicyLossStats.Combine([]));
    }
}
