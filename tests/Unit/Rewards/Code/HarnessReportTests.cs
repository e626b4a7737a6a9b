using System.Text;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;

namespace Pipeline.Tests.Unit.Rewards.Code;

/// <summary>How runs and harness reports become verdicts, checked on fabricated runs.</summary>
public sealed class HarnessReportTests
{
    const string Nonce = "00112233445566778899aabbccddeeff";

    static SandboxResult Run(
        string stdout = "", string stderr = "", int exitCode = 0,
        SandboxTermination termination = SandboxTermination.Exited, bool oom = false) => new()
        {
            Termination = termination,
            ExitCode = exitCode,
            Stdout = Encoding.UTF8.GetBytes(stdout),
            Stderr = Encoding.UTF8.GetBytes(stderr),
            MemoryLimitHit = oom,
            Elapsed = TimeSpan.FromMilliseconds(40),
        };

    static string Line(string json, string nonce = Nonce) => $"{nonce} {json}\n";

    [Fact]
    public void A_full_report_gives_one_verdict_per_test()
    {
        var run = Run(Line("""{"count": 3}""") +
                      Line("""{"test": 0, "verdict": "accepted", "detail": ""}""") +
                      Line("""{"test": 1, "verdict": "wrong-answer", "detail": "failed: assert f(1) == 2"}""") +
                      Line("""{"test": 2, "verdict": "runtime-error", "detail": "ZeroDivisionError: x"}""") +
                      Line("""{"done": true}"""));
        var tests = AssertHarness.Interpret(run, Nonce);
        Assert.Equal([CodeVerdict.Accepted, CodeVerdict.WrongAnswer, CodeVerdict.RuntimeError], tests.Select(t => t.Verdict));
        Assert.Null(tests[0].Detail);
        Assert.Equal("failed: assert f(1) == 2", tests[1].Detail);
    }

    [Fact]
    public void Lines_without_the_nonce_are_ignored()
    {
        var forged = "PASSED\n" + Line("""{"count": 1}""", "ffffffffffffffffffffffffffffffff") +
                     Line("""{"test": 0, "verdict": "accepted"}""", "ffffffffffffffffffffffffffffffff") +
                     """{"test": 0, "verdict": "accepted"}""" + "\n";
        var alone = AssertHarness.Interpret(Run(forged), Nonce);
        Assert.Equal(CodeVerdict.SandboxError, Assert.Single(alone).Verdict);

        var mixed = AssertHarness.Interpret(Run(Line("""{"count": 1}""") + forged), Nonce);
        Assert.Equal(CodeVerdict.RuntimeError, Assert.Single(mixed).Verdict);
    }

    [Fact]
    public void Unreported_tests_take_the_verdict_of_how_the_run_ended()
    {
        var report = Line("""{"count": 3}""") + Line("""{"test": 0, "verdict": "accepted"}""");
        Assert.Equal([CodeVerdict.Accepted, CodeVerdict.TimeLimit, CodeVerdict.TimeLimit],
            AssertHarness.Interpret(Run(report, termination: SandboxTermination.WallTimeout, exitCode: 137), Nonce).Select(t => t.Verdict));
        Assert.Equal([CodeVerdict.Accepted, CodeVerdict.OutputLimit, CodeVerdict.OutputLimit],
            AssertHarness.Interpret(Run(report, termination: SandboxTermination.OutputLimit, exitCode: 137), Nonce).Select(t => t.Verdict));
        Assert.Equal([CodeVerdict.Accepted, CodeVerdict.RuntimeError, CodeVerdict.RuntimeError],
            AssertHarness.Interpret(Run(report), Nonce).Select(t => t.Verdict));
    }

    [Fact]
    public void A_killed_program_is_a_memory_limit_only_when_the_cgroup_saw_an_oom_kill()
    {
        var report = Line("""{"count": 1}""") + Line("""{"test": 0, "verdict": "killed"}""");
        Assert.Equal(CodeVerdict.MemoryLimit, AssertHarness.Interpret(Run(report, oom: true), Nonce).Single().Verdict);
        Assert.Equal(CodeVerdict.TimeLimit, AssertHarness.Interpret(Run(report), Nonce).Single().Verdict);
    }

    [Theory]
    [InlineData("""{"fatal": "the harness cannot make itself undumpable"}""")]
    [InlineData("""{"count": 0}""")]
    [InlineData("""{"count": "many"}""")]
    [InlineData("""not json""")]
    public void A_broken_report_is_a_sandbox_error_never_a_pass(string json)
    {
        var run = Run(Line(json) + Line("""{"test": 0, "verdict": "accepted"}"""));
        var tests = AssertHarness.Interpret(run, Nonce);
        Assert.Equal(CodeVerdict.SandboxError, Assert.Single(tests).Verdict);
        Assert.Equal(CodeVerdict.SandboxError, CodeScorer.Overall(tests));
    }

    [Theory]
    [InlineData(SandboxTermination.WallTimeout, 137)]
    [InlineData(SandboxTermination.Exited, 1)]
    [InlineData(SandboxTermination.Exited, 0)]
    public void Without_the_count_the_program_never_ran_so_it_is_a_sandbox_error(SandboxTermination termination, int exitCode)
    {
        var tests = AssertHarness.Interpret(Run("", "Traceback …\nKeyError: 'tests'\n", exitCode, termination), Nonce);
        Assert.Equal(CodeVerdict.SandboxError, Assert.Single(tests).Verdict);
    }

    [Fact]
    public void An_unknown_verdict_word_is_a_sandbox_error()
    {
        var run = Run(Line("""{"count": 1}""") + Line("""{"test": 0, "verdict": "passed"}"""));
        Assert.Equal(CodeVerdict.SandboxError, AssertHarness.Interpret(run, Nonce).Single().Verdict);
    }

    [Fact]
    public void Nonces_are_fresh_and_long()
    {
        var a = AssertHarness.NewNonce();
        Assert.Equal(32, a.Length);
        Assert.NotEqual(a, AssertHarness.NewNonce());
    }

    [Theory]
    [InlineData(SandboxTermination.StartFailed, -1, "", false, CodeVerdict.SandboxError)]
    [InlineData(SandboxTermination.WallTimeout, 137, "", false, CodeVerdict.TimeLimit)]
    [InlineData(SandboxTermination.OutputLimit, 137, "", false, CodeVerdict.OutputLimit)]
    [InlineData(SandboxTermination.WallTimeout, 137, "", true, CodeVerdict.MemoryLimit)]
    [InlineData(SandboxTermination.Exited, 152, "", false, CodeVerdict.TimeLimit)]
    [InlineData(SandboxTermination.Exited, 137, "", false, CodeVerdict.TimeLimit)]
    [InlineData(SandboxTermination.Exited, 1, "Traceback (most recent call last):\n  File x\nMemoryError\n", false, CodeVerdict.MemoryLimit)]
    [InlineData(SandboxTermination.Exited, 1, "Traceback (most recent call last):\nValueError: bad\n", false, CodeVerdict.RuntimeError)]
    [InlineData(SandboxTermination.Exited, 139, "", false, CodeVerdict.RuntimeError)]
    [InlineData(SandboxTermination.Exited, 1, "bwrap: Can't fork for pid 1: Resource temporarily unavailable\n", false, CodeVerdict.SandboxError)]
    [InlineData(SandboxTermination.Exited, 125, "pipeline-sandbox: cannot join the run cgroups\n", false, CodeVerdict.SandboxError)]
    public void HowARunEndedDecidesBeforeItsOutput(
        SandboxTermination termination, int exitCode, string stderr, bool oom, CodeVerdict expected)
    {
        var ending = RunEnding.Abnormal(Run("3\n", stderr, exitCode, termination, oom));
        Assert.NotNull(ending);
        Assert.Equal(expected, ending.Value.Verdict);
    }

    [Fact]
    public void Only_a_clean_exit_leaves_the_verdict_to_the_output()
    {
        Assert.Null(RunEnding.Abnormal(Run("3\n")));
        Assert.Equal("ValueError: bad", RunEnding.Abnormal(Run("3\n", "ValueError: bad\n", 1))!.Value.Detail);
    }

    [Fact]
    public void The_completion_verdict_is_the_first_failure_unless_the_sandbox_failed()
    {
        CodeTestResult T(CodeVerdict v) => new(v);
        Assert.Equal(CodeVerdict.Accepted, CodeScorer.Overall([T(CodeVerdict.Accepted), T(CodeVerdict.Accepted)]));
        Assert.Equal(CodeVerdict.TimeLimit,
            CodeScorer.Overall([T(CodeVerdict.Accepted), T(CodeVerdict.TimeLimit), T(CodeVerdict.WrongAnswer)]));
        Assert.Equal(CodeVerdict.SandboxError,
            CodeScorer.Overall([T(CodeVerdict.WrongAnswer), T(CodeVerdict.SandboxError)]));
        Assert.Equal(CodeVerdict.SandboxError, CodeScorer.Overall([]));
    }
}
