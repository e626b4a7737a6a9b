using Pipeline.Benchmarks.Bus;

namespace Pipeline.Tests.Unit.Benchmarks;

public class BusBenchmarkMedianTests
{
    [Theory]
    [InlineData(new[] { 0.8 }, 0)]
    [InlineData(new[] { 0.9, 0.7, 0.8 }, 2)]              // sorted 0.7 (1), 0.8 (2), 0.9 (0)
    [InlineData(new[] { 0.95, 0.81, 0.86, 0.72, 0.90 }, 2)]
    [InlineData(new[] { 0.9, 0.7, 0.8, 1.0 }, 2)]         // even: the lower of 0.8 and 0.9
    [InlineData(new[] { 0.8, 0.8, 0.8 }, 1)]              // ties keep the order run
    public void The_median_pair_is_the_middle_ratio_or_the_lower_middle_one(double[] ratios, int expected) =>
        Assert.Equal(expected, BusBenchmark.MedianPair(ratios));

    [Fact]
    public void No_pairs_have_no_median() => Assert.Throws<ArgumentException>(() => BusBenchmark.MedianPair([]));
}
