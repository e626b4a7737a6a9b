using Pipeline.Benchmarks;

namespace Pipeline.Tests.Unit.Benchmarks;

public sealed class BenchmarkThreadsTests
{
    [Theory]
    [InlineData(0, 2, new[] { 1, 2 })]     // the demo's learner on half the cores, then both
    [InlineData(0, 8, new[] { 4, 8 })]
    [InlineData(0, 1, new[] { 1 })]        // one core: half of it is all of it
    [InlineData(0, 3, new[] { 1, 3 })]
    [InlineData(2, 8, new[] { 2 })]        // Learner:TorchThreads or Rollout:TorchThreads named: that count only
    public void Counts_are_the_demo_s_plan_then_every_core_unless_one_is_named(int configured, int processors, int[] expected)
    {
        Assert.Equal(expected, BenchmarkThreads.Counts(configured, processors));
    }
}
