using Pipeline.Learner.Grpo;

namespace Pipeline.Tests.Unit.Learner.Grpo;

public sealed class DynamicSamplingTests
{
    [Fact]
    public void Groups_whose_rewards_are_all_equal_are_dropped_in_order()
    {
        double[][] groups = [[1, 0], [1, 1], [0, 0, 0], [0.5], [0, 0, 1]];

        var kept = DynamicSampling.Keep(groups);

        Assert.Equal<IReadOnlyList<double>>(new[] { groups[0], groups[4] }, kept);
    }

    [Fact]
    public void Keep_selects_rewards_from_any_group_type()
    {
        var groups = new[] { new Scored("a", [1, 1, 1]), new Scored("b", [0, 1, 0]) };

        var kept = DynamicSampling.Keep(groups, group => group.Rewards);

        Assert.Equal(new[] { "b" }, kept.Select(group => group.Id));
    }

    [Fact]
    public void A_tiny_difference_still_counts_as_signal()
    {
        Assert.True(DynamicSampling.HasSignal([1.0, 1.0 + 1e-12]));
        Assert.False(DynamicSampling.HasSignal([0.25, 0.25]));
        Assert.False(DynamicSampling.HasSignal([]));
    }

    sealed record Scored(string Id, double[] Rewards);
}
