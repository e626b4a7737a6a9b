using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Code;
using Pipeline.Tests.Integration.Sandbox;

namespace Pipeline.Tests.Integration.Rewards;

/// <summary>Correct programs pass; subtly wrong ones do not.</summary>
[Collection(SandboxCollection.Name)]
public sealed class CodeScorerTests(SandboxFixture fixture)
{
    public static TheoryData<string> ProblemIds() => new(CodeProblems.All.Select(p => p.Id));

    Task<CodeScoreResult> Score(string program, string problemId) =>
        fixture.Scorer.ScoreAsync(3, SandboxFixture.Completion(program), CodeProblems.Get(problemId).Reference);

    [Theory]
    [MemberData(nameof(ProblemIds))]
    public async Task Every_built_in_solution_is_accepted(string id)
    {
        var problem = CodeProblems.Get(id);
        var result = await Score(problem.Solution, id);

        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, result);
        Assert.Equal(3, result.Score.Index);
        Assert.Equal(1, result.Score.Reward);
        Assert.Equal(1, result.Score.Components[RewardComponents.Accuracy]);
        Assert.Equal(1, result.Score.Components[RewardComponents.Format]);
        Assert.Equal("accepted", result.Score.Verdict);
        var reference = CodeReference.Parse(problem.Reference);
        var expectedTests = reference.Tests.Count + (reference.TestCode is null ? 0 : result.Tests.Count);
        Assert.Equal(expectedTests, result.Tests.Count);
        Assert.True(result.Tests.Count >= 3);
        Assert.All(result.Tests, t => Assert.Equal(CodeVerdict.Accepted, t.Verdict));
    }

    [Fact]
    public async Task Off_by_one_is_a_wrong_answer()
    {
        var result = await Score("n = int(input())\nfor i in range(1, n):\n" +
            "    print('FizzBuzz' if i % 15 == 0 else 'Fizz' if i % 3 == 0 else 'Buzz' if i % 5 == 0 else i)", "fizzbuzz");
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
        Assert.Equal(0, result.Score.Reward);
        Assert.All(result.Tests, t => Assert.Equal(CodeVerdict.WrongAnswer, t.Verdict));
    }

    [Fact]
    public async Task A_prefix_of_the_expected_output_is_a_wrong_answer()
    {
        // Prints the first half of the reversed line: a prefix of the expected output.
        var result = await Score("s = input()[::-1]\nprint(s[:len(s) // 2 + 1] if len(s) > 1 else s)", "reverse-string");
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
        Assert.Contains(result.Tests, t => t.Verdict == CodeVerdict.WrongAnswer);
    }

    [Fact]
    public async Task Extra_output_after_the_answer_is_a_wrong_answer()
    {
        var result = await Score("import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\nprint('done')", "sum-list");
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
    }

    [Fact]
    public async Task Trailing_whitespace_is_forgiven()
    {
        var result = await Score("import sys\nprint(str(len(sys.stdin.read().split())) + '   \\n\\n')", "word-count");
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, result);
    }

    [Fact]
    public async Task Correct_output_then_a_crash_is_a_runtime_error()
    {
        var result = await Score("print(input()[::-1])\nraise ValueError('late')", "reverse-string");
        SandboxFixture.AssertVerdict(CodeVerdict.RuntimeError, result);
        Assert.Contains("ValueError: late", result.Tests[0].Detail);
    }

    [Fact]
    public async Task Returning_one_for_true_is_a_wrong_answer()
    {
        var result = await Score("def is_prime(n):\n    return int(n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1)))", "is-prime");
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
        Assert.All(result.Tests, t => Assert.Equal(CodeVerdict.WrongAnswer, t.Verdict));
    }

    [Fact]
    public async Task One_wrong_assert_fails_only_that_test()
    {
        var result = await Score("def gcd(a, b):\n    while b:\n        a, b = b, a % b\n    return a if a != 7 else 1", "gcd");
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
        Assert.Equal(
            [CodeVerdict.Accepted, CodeVerdict.Accepted, CodeVerdict.WrongAnswer, CodeVerdict.Accepted, CodeVerdict.Accepted],
            result.Tests.Select(t => t.Verdict));
    }

    [Fact]
    public async Task A_missing_function_is_a_wrong_answer()
    {
        var result = await Score("def greatest_common_divisor(a, b):\n    return 0", "gcd");
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
        Assert.Contains("NameError", result.Tests[0].Detail);
    }

    [Fact]
    public async Task A_program_that_prints_while_being_tested_still_passes()
    {
        var result = await Score("print('loading')\ndef gcd(a, b):\n    print('gcd', a, b)\n" +
            "    while b:\n        a, b = b, a % b\n    return a", "gcd");
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, result);
    }

    [Fact]
    public async Task Stdin_and_assert_tests_together()
    {
        var reference = new CodeReference
        {
            Tests = [new CodeTestCase("4\n", "16\n")],
            TestCode = "assert square(3) == 9\nassert square(-2) == 4\n",
        }.ToJson();
        var program = "def square(x):\n    return x * x\nif __name__ == '__main__':\n    print(square(int(input())))";
        var passing = await fixture.Scorer.ScoreAsync(0, SandboxFixture.Completion(program), reference);
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, passing);
        Assert.Equal(3, passing.Tests.Count);
    }

    [Fact]
    public async Task No_answer_is_bad_format_without_running_anything()
    {
        var result = await fixture.Scorer.ScoreAsync(
            0, "<think>hmm</think> ```python\nprint(3)\n```", CodeProblems.Get("sum-list").Reference);
        SandboxFixture.AssertVerdict(CodeVerdict.BadFormat, result);
        Assert.Equal("bad-format", result.Score.Verdict);
        Assert.Equal(0, result.Score.Reward);
        Assert.Equal(0, result.Score.Components[RewardComponents.Format]);
        Assert.Empty(result.Tests);
        Assert.NotNull(result.Detail);
    }

    [Fact]
    public async Task A_malformed_reference_throws()
    {
        await Assert.ThrowsAsync<FormatException>(() =>
            fixture.Scorer.ScoreAsync(0, SandboxFixture.Completion("print(1)"), """{"tests": "nope"}"""));
    }

    [Fact]
    public async Task Results_print_the_test_verdicts_as_json()
    {
        var result = await Score("def gcd(a, b):\n    return 6", "gcd");
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result));
        var tests = json.RootElement.GetProperty("tests");
        Assert.Equal("accepted", tests[0].GetProperty("verdict").GetString());
        Assert.Equal("wrong-answer", tests[1].GetProperty("verdict").GetString());
        Assert.Equal("wrong-answer", json.RootElement.GetProperty("score").GetProperty("Verdict").GetString());
    }

    [Fact]
    public async Task Many_completions_score_concurrently()
    {
        var problem = CodeProblems.Get("sum-list");
        var completions = Enumerable.Range(0, 8)
            .Select(i => SandboxFixture.Completion(i % 2 == 0 ? problem.Solution : "print(0)"))
            .ToList();
        var results = await Task.WhenAll(completions.Select((c, i) => fixture.Scorer.ScoreAsync(i, c, problem.Reference)));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? 1.0 : 0.0), results.Select(r => r.Score.Reward));
    }

    [Fact]
    public async Task Cancellation_stops_a_running_program()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Scorer.ScoreAsync(
            0, SandboxFixture.Completion("import time\ntime.sleep(60)"), CodeProblems.Get("sum-list").Reference, cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancellation took {clock.Elapsed}");
    }
}
