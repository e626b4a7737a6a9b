using Microsoft.Extensions.Options;
using Pipeline.Learner.Evaluation;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Code;
using Pipeline.Tests.Integration.Sandbox;

namespace Pipeline.Tests.Integration.Learner;

/// <summary>Held-out evaluation scores code by running it in the real sandbox, as the verifier does: the built-in
/// problems' known-good solutions pass, a wrong program and prose do not, and pass@1 / pass@k follow from the verdicts.</summary>
[Collection(SandboxCollection.Name)]
public sealed class CodeEvaluationTests : IDisposable
{
    readonly SandboxProvider _sandboxes = new(Options.Create(SandboxFixture.TestOptions()));
    readonly PolicyEvaluator _evaluator;

    public CodeEvaluationTests() =>
        _evaluator = new PolicyEvaluator(new CompletionScorerRouter([new MathScorer(Options.Create(new RewardOptions())), new CodeCompletionScorer(_sandboxes)]));

    public void Dispose()
    {
        _evaluator.Dispose();
        _sandboxes.Dispose();
    }

    [Fact]
    public async Task Solutions_pass_in_the_sandbox_and_pass_at_1_and_pass_at_k_count_them()
    {
        var sum = CodeProblems.Get("sum-list");
        var prime = CodeProblems.Get("is-prime");
        var gcd = CodeProblems.Get("gcd");
        string Right(CodeProblem p) => SandboxFixture.Completion(p.Solution);
        var wrongSum = SandboxFixture.Completion("import sys\nprint(sum(int(x) for x in sys.stdin.read().split()) + 1)\n");
        var crashingPrime = SandboxFixture.Completion("def is_prime(n):\n    return 1 / 0\n");
        const string prose = "<think>hmm</think> <answer>I would loop over the numbers.</answer>";

        var score = await _evaluator.ScoreAsync(
            [sum.ToProblem(), prime.ToProblem(), gcd.ToProblem()],
            greedy: [Right(sum), crashingPrime, prose],
            samples: [[wrongSum, Right(sum)], [Right(prime), Right(prime)], [prose, crashingPrime]]);

        // greedy: sum accepted, is-prime a runtime error, gcd no program at all
        Assert.Equal(1.0 / 3, score.Accuracy, 1e-12);
        Assert.Equal(2.0 / 3, score.FormatRate, 1e-12);
        Assert.Equal(new Dictionary<string, int> { ["accepted"] = 1, ["bad-format"] = 1, ["runtime-error"] = 1 }, score.Verdicts);
        // samples: sum 1 of 2, is-prime 2 of 2, gcd 0 of 2 → pass@2 = 2/3, pass@1 = (1/2 + 1 + 0) / 3 = 1/2
        Assert.Equal(2, score.K);
        Assert.Equal(2.0 / 3, score.PassAtK, 1e-12);
        Assert.Equal(0.5, score.PassAt1, 1e-12);
    }
}
