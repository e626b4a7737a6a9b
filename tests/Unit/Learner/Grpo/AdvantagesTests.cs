using Pipeline.Learner.Grpo;

namespace Pipeline.Tests.Unit.Learner.Grpo;

public sealed class AdvantagesTests
{
    const double Tolerance = 1e-9;

    [Fact]
    public void Group_scale_divides_by_the_groups_unbiased_std_plus_epsilon()
    {
        // rewards [1, 0, 0, 1]: mean 0.5, deviations ±0.5
        // unbiased variance = 4 × 0.25 / 3 = 1/3, std = 0.5773502692, divisor = std + 1e-4 = 0.5774502692
        // advantages = ±0.5 / 0.5774502692 = ±0.8658754298
        var result = Advantages.Compute([[1, 0, 0, 1]], AdvantageScale.Group);

        AssertClose([0.8658754298, -0.8658754298, -0.8658754298, 0.8658754298], result[0]);
    }

    [Fact]
    public void Group_scale_uses_each_groups_own_std()
    {
        // [1, 1, 1, 0]: mean 0.75, deviations 0.25, 0.25, 0.25, −0.75
        // unbiased variance = (3 × 0.0625 + 0.5625) / 3 = 0.25, std 0.5, divisor 0.5001
        // advantages = 0.25 / 0.5001 = 0.4999000200, −0.75 / 0.5001 = −1.4997000600
        var result = Advantages.Compute([[1, 0, 0, 1], [1, 1, 1, 0]], AdvantageScale.Group);

        AssertClose([0.8658754298, -0.8658754298, -0.8658754298, 0.8658754298], result[0]);
        AssertClose([0.4999000200, 0.4999000200, 0.4999000200, -1.4997000600], result[1]);
    }

    [Fact]
    public void Batch_scale_keeps_the_group_mean_but_divides_by_the_std_of_all_rewards()
    {
        // all eight rewards [1,0,0,1,1,1,1,0]: mean 5/8
        // squared deviations: 5 × (3/8)² + 3 × (5/8)² = 45/64 + 75/64 = 1.875
        // unbiased variance = 1.875 / 7 = 0.2678571429, std = 0.5175491695, divisor = 0.5176491695
        // group 1 (mean 0.5):  ±0.5 / 0.5176491695 = ±0.9659051525
        // group 2 (mean 0.75): 0.25 / 0.5176491695 = 0.4829525762, −0.75 / 0.5176491695 = −1.4488577287
        var result = Advantages.Compute([[1, 0, 0, 1], [1, 1, 1, 0]], AdvantageScale.Batch);

        AssertClose([0.9659051525, -0.9659051525, -0.9659051525, 0.9659051525], result[0]);
        AssertClose([0.4829525762, 0.4829525762, 0.4829525762, -1.4488577287], result[1]);
    }

    [Fact]
    public void None_scale_is_reward_minus_group_mean()
    {
        // group means 0.5 and 0.75; no division
        var result = Advantages.Compute([[1, 0, 0, 1], [1, 1, 1, 0]], AdvantageScale.None);

        AssertClose([0.5, -0.5, -0.5, 0.5], result[0]);
        AssertClose([0.25, 0.25, 0.25, -0.75], result[1]);
    }

    [Theory]
    [InlineData(AdvantageScale.Group)]
    [InlineData(AdvantageScale.Batch)]
    [InlineData(AdvantageScale.None)]
    public void A_group_of_equal_rewards_gets_exact_zeros(AdvantageScale scale)
    {
        // 0.1 + 0.1 + 0.1 is not exactly 0.3 in binary, so a naive r − mean would leave ~1e-17 behind,
        // which a std of ~1e-17 would blow up; the contract is exact zeros.
        var result = Advantages.Compute([[0.1, 0.1, 0.1], [1, 0]], scale);

        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, result[0]);
        Assert.NotEqual(0.0, result[1][0]);
    }

    [Theory]
    [InlineData(AdvantageScale.Group)]
    [InlineData(AdvantageScale.Batch)]
    [InlineData(AdvantageScale.None)]
    public void A_single_completion_has_no_baseline_and_gets_zero(AdvantageScale scale)
    {
        var result = Advantages.Compute([[0.7], [1, 0]], scale);

        Assert.Equal(new[] { 0.0 }, result[0]);
    }

    [Fact]
    public void A_non_finite_reward_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Advantages.Compute([[1, double.NaN]], AdvantageScale.Group));
    }

    static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], Tolerance);
        }
    }
}
