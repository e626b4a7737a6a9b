using Microsoft.Extensions.Options;
using Pipeline.Learner.Evaluation;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks;
using Pipeline.Tasks.Code;
using Pipeline.Tests.Unit.Policy;

namespace Pipeline.Tests.Unit.Learner.Evaluation;

/// <summary>What the evaluator refuses before it samples anything. Scoring through a real sandbox is tested in
/// tests/Integration/Learner/CodeEvaluationTests.cs.</summary>
[Collection(TorchCollection.Name)]
public sealed class PolicyEvaluatorTests
{
    static PolicyEvaluator WithoutSandbox() => new(new CompletionScorerRouter(
    [
        new MathScorer(Options.Create(new RewardOptions())),
        new CodeCompletionScorer(new SandboxProvider(Options.Create(new SandboxOptions { BubblewrapPath = "/nonexistent/bwrap", UseCgroups = false }))),
    ]));

    /// <summary>Records every report on the reporting thread.</summary>
    sealed class Reports : IProgress<int>
    {
        public List<int> Seen { get; } = [];

        public void Report(int value) => Seen.Add(value);
    }

    [Fact]
    public async Task Code_problems_without_a_sandbox_are_refused_with_its_reason_before_sampling()
    {
        using var policy = TinyPolicy.Create(seed: 1);
        var printOne = new CodeReference { Tests = [new CodeTestCase("", "1\n")] }.ToJson();
        var problems = new[] { new Problem("m", "1+1", "2", TaskKinds.Math), new Problem("c", "Print 1.", printOne, TaskKinds.Code) };
        var reports = new Reports();

        var refusal = await Assert.ThrowsAsync<SandboxUnavailableException>(() =>
            WithoutSandbox().EvaluateAsync(policy, problems, k: 2, maxTokens: 8, progress: reports));

        Assert.StartsWith("The code sandbox is unavailable, so code tasks are refused: ", refusal.Message);
        Assert.Contains("/nonexistent/bwrap", refusal.Message);
        Assert.Empty(reports.Seen);
    }

    [Fact]
    public async Task A_held_out_prompt_longer_than_the_context_is_refused_naming_the_problem()
    {
        using var policy = TinyPolicy.Create(seed: 1); // 128 positions, byte tokens
        var problems = new[] { new Problem("fits", "1+1", "2", TaskKinds.Math), new Problem("essay", new string('x', 200), "2", TaskKinds.Math) { Origin = "d.jsonl:9" } };

        var reports = new Reports();

        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => WithoutSandbox().EvaluateAsync(policy, problems, k: 0, maxTokens: 16, progress: reports));

        Assert.StartsWith("problem 'essay' (d.jsonl:9) has a prompt of", refusal.Message);
        Assert.Empty(reports.Seen);
    }

    [Fact]
    public async Task Math_is_scored_as_ever_where_there_is_no_sandbox()
    {
        using var policy = TinyPolicy.Create(seed: 1);
        var problems = new[] { new Problem("m", "1+1", "2", TaskKinds.Math) };

        var reports = new Reports();

        var score = await WithoutSandbox().EvaluateAsync(policy, problems, k: 2, maxTokens: 8, progress: reports);

        Assert.Equal(1, score.Problems);
        Assert.Equal(1, score.Verdicts.Values.Sum());
        Assert.Equal(2, score.K);
        Assert.Equal([1], reports.Seen);
    }
}
