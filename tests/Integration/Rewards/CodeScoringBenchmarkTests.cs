using Pipeline.Rewards.Code;
using Pipeline.Tests.Integration.Sandbox;

namespace Pipeline.Tests.Integration.Rewards;

[Collection(SandboxCollection.Name)]
public sealed class CodeScoringBenchmarkTests(SandboxFixture fixture)
{
    [Fact]
    public async Task The_benchmark_scores_every_built_in_solution_every_way()
    {
        var result = await CodeScoringBenchmark.RunAsync(fixture.Sandbox, completions: 6);
        Assert.Equal(6, result.Completions);
        Assert.Equal(2, result.Parallelism);
        // sum-list 5, reverse-string 4, fizzbuzz 3, word-count 3, and two problems judged by test code alone.
        Assert.Equal(15 / 6.0, result.StdinTestsPerCompletion, 9);
        Assert.True(result.OnePerTestCompletionsPerSecond > 0);
        Assert.True(result.OnePerCompletionCompletionsPerSecond > 0);
        Assert.True(result.SessionCompletionsPerSecond > 0);
    }
}
