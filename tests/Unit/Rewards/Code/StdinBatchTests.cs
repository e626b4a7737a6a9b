using System.Text;
using System.Text.Json;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Code;

namespace Pipeline.Tests.Unit.Rewards.Code;

/// <summary>The stdin runner's request, and how its reports become verdicts, checked on hand-written reports.</summary>
public sealed class StdinBatchTests
{
    const string Nonce = "00112233445566778899aabbccddeeff";

    static readonly CodeTestCase[] Tests = [new("1 2\n", "3\n"), new("2 2\n", "4\n"), new("5 5\n", "10\n")];

    static SandboxResult Run(
        string stdout, SandboxTermination termination = SandboxTermination.Exited, int exitCode = 0,
        bool oom = false, string stderr = "") => new()
        {
            Termination = termination,
            ExitCode = exitCode,
            Stdout = Encoding.UTF8.GetBytes(stdout),
            Stderr = Encoding.UTF8.GetBytes(stderr),
            MemoryLimitHit = oom,
            Elapsed = TimeSpan.FromMilliseconds(300),
        };

    static string Line(string json, string nonce = Nonce) => $"{nonce} {json}\n";

    static string Ready(int count = 3) => Line($$"""{"ready": {{count}}}""");

    /// <summary>A test's report line as the runner writes it.</summary>
    static string Test(
        int index, string stdout = "", int? exit = 0, int? signal = null, string? killed = null, bool? oom = false,
        string stderr = "") =>
        Line(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["test"] = index,
            ["exit"] = exit,
            ["signal"] = signal,
            ["killed"] = killed,
            ["oom"] = oom,
            ["stdout"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(stdout)),
            ["stderr"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(stderr)),
            ["seconds"] = 0.05,
        }));

    static IReadOnlyList<CodeTestResult> Interpret(SandboxResult run) => StdinBatch.Interpret(run, Nonce, Tests);

    static CodeVerdict[] Verdicts(SandboxResult run) => Interpret(run).Select(t => t.Verdict).ToArray();

    static string[] Fields(byte[] request)
    {
        var text = Encoding.UTF8.GetString(request);
        Assert.EndsWith("\n", text);
        return text[..^1].Split('\n');
    }

    [Fact]
    public void The_request_carries_the_exact_bytes_and_the_per_test_limits_one_field_a_line()
    {
        var request = StdinBatch.Request(
            Nonce, "print('é')\nprint(2)", [new("ü\n", "expected"), new("", "y")], 2.5, 4096, "/run/memory.oom_control");
        var fields = Fields(request);
        Assert.Equal(7, fields.Length);
        Assert.Equal([Nonce, "2.5", "4096", "/run/memory.oom_control"], fields[..4]);
        Assert.Equal("print('é')\nprint(2)", Encoding.UTF8.GetString(Convert.FromBase64String(fields[4])));
        Assert.Equal([[0xC3, 0xBC, 0x0A], []], fields[5..].Select(Convert.FromBase64String).ToArray());
        // The expected outputs never enter the sandbox.
        Assert.DoesNotContain("expected", Encoding.UTF8.GetString(request));
    }

    [Fact]
    public void Without_cgroups_the_request_names_no_oom_count()
    {
        Assert.Equal("-", Fields(StdinBatch.Request(Nonce, "pass", Tests, 5, 1024, null))[3]);
    }

    [Fact]
    public void A_full_report_is_judged_test_by_test_against_the_expected_outputs()
    {
        var run = Run(Ready() + Test(0, "3\n") + Test(1, "5\n") + Test(2, "10   \n\n"));
        var tests = Interpret(run);
        Assert.Equal([CodeVerdict.Accepted, CodeVerdict.WrongAnswer, CodeVerdict.Accepted], tests.Select(t => t.Verdict));
        Assert.Equal("output differs from the expected output", tests[1].Detail);
    }

    [Theory]
    [InlineData(1, null, null, false, "Traceback (most recent call last):\nValueError: bad", CodeVerdict.RuntimeError, "ValueError: bad")]
    [InlineData(1, null, null, false, "MemoryError", CodeVerdict.MemoryLimit, "MemoryError")]
    [InlineData(null, 24, null, false, "", CodeVerdict.TimeLimit, "CPU time limit")]
    [InlineData(null, 9, null, false, "", CodeVerdict.TimeLimit, "CPU time limit")]
    [InlineData(null, 9, null, true, "", CodeVerdict.MemoryLimit, "out of memory (killed by the run's memory cgroup)")]
    [InlineData(null, 9, "wall", false, "", CodeVerdict.TimeLimit, "wall-clock limit")]
    [InlineData(null, 9, "wall", true, "", CodeVerdict.MemoryLimit, "out of memory (killed by the run's memory cgroup)")]
    [InlineData(null, 9, "output", false, "", CodeVerdict.OutputLimit, "output limit")]
    [InlineData(0, null, "output", false, "", CodeVerdict.OutputLimit, "output limit")]
    [InlineData(null, 11, null, false, "", CodeVerdict.RuntimeError, "killed by signal 11")]
    [InlineData(3, null, null, false, "", CodeVerdict.RuntimeError, "exit code 3")]
    public void A_program_ending_maps_as_a_sandbox_of_its_own_would(
        int? exit, int? signal, string? killed, bool oom, string stderr, CodeVerdict verdict, string detail)
    {
        var run = Run(Ready() + Test(0, "3\n", exit, signal, killed, oom, stderr.Split('\n')[^1]) + Test(1, "4\n") + Test(2, "10\n"));
        var tests = Interpret(run);
        Assert.Equal(new CodeTestResult(verdict, detail), tests[0]);
        Assert.Equal(CodeVerdict.Accepted, tests[1].Verdict);
    }

    [Fact]
    public void A_tool_shaped_stderr_line_is_the_programs_own_in_a_batch()
    {
        var run = Run(Ready() + Test(0, "", 1, stderr: "bwrap: Can't fork") + Test(1, "4\n") + Test(2, "10\n"));
        Assert.Equal(new CodeTestResult(CodeVerdict.RuntimeError, "bwrap: Can't fork"), Interpret(run)[0]);
    }

    [Fact]
    public void Without_a_count_from_the_runner_the_run_oom_flag_explains_only_an_unclaimed_sigkill()
    {
        var report = Ready() + Test(0, "", null, 9, oom: null) + Test(1, "", null, 9, "wall", oom: null) + Test(2, "10\n", oom: null);
        Assert.Equal([CodeVerdict.MemoryLimit, CodeVerdict.TimeLimit, CodeVerdict.Accepted], Verdicts(Run(report, oom: true)));
        Assert.Equal([CodeVerdict.TimeLimit, CodeVerdict.TimeLimit, CodeVerdict.Accepted], Verdicts(Run(report)));
    }

    [Fact]
    public void The_runners_count_outranks_the_run_flag()
    {
        // The run's cgroup saw an OOM kill, but during another test than this SIGKILLed one.
        var report = Ready() + Test(0, "", null, 9, oom: false) + Test(1, "", null, 9, oom: true) + Test(2, "10\n");
        Assert.Equal([CodeVerdict.TimeLimit, CodeVerdict.MemoryLimit, CodeVerdict.Accepted], Verdicts(Run(report, oom: true)));
    }

    [Fact]
    public void Lines_without_the_nonce_are_ignored()
    {
        var forged = "3\n" + Ready().Replace(Nonce, "ffffffffffffffffffffffffffffffff") +
                     Test(0, "3\n").Replace(Nonce, "ffffffffffffffffffffffffffffffff") +
                     """{"test": 0, "exit": 0}""" + "\n";
        Assert.All(Interpret(Run(forged)), t => Assert.Equal(CodeVerdict.SandboxError, t.Verdict));
    }

    [Theory]
    [InlineData(SandboxTermination.WallTimeout, 137, false, CodeVerdict.TimeLimit)]
    [InlineData(SandboxTermination.Exited, 152, false, CodeVerdict.TimeLimit)]
    [InlineData(SandboxTermination.Exited, 137, true, CodeVerdict.MemoryLimit)]
    [InlineData(SandboxTermination.OutputLimit, 137, false, CodeVerdict.OutputLimit)]
    [InlineData(SandboxTermination.Exited, 0, false, CodeVerdict.SandboxError)]
    [InlineData(SandboxTermination.Exited, 1, false, CodeVerdict.SandboxError)]
    public void Unreported_tests_take_the_runs_ending_when_it_was_a_limit(
        SandboxTermination termination, int exitCode, bool oom, CodeVerdict expected)
    {
        var run = Run(Ready() + Test(0, "3\n"), termination, exitCode, oom, "Traceback (most recent call last):\nKeyError: 'x'\n");
        Assert.Equal([CodeVerdict.Accepted, expected, expected], Verdicts(run));
    }

    [Theory]
    [InlineData("""{"fatal": "processes outlived their test"}""")]
    [InlineData("""{"ready": 2}""")]
    [InlineData("""{"ready": "three"}""")]
    [InlineData("""{"test": 1, "exit": 0, "signal": null, "killed": null, "oom": false, "stdout": "", "stderr": "", "seconds": 0}""")]
    [InlineData("""{"test": 0, "exit": 0, "signal": null, "killed": "bored", "oom": false, "stdout": "", "stderr": "", "seconds": 0}""")]
    [InlineData("""{"test": 0, "exit": 0, "signal": null, "killed": null, "oom": false, "stdout": "not base64!", "stderr": "", "seconds": 0}""")]
    [InlineData("""{"test": 0, "exit": 0, "signal": null, "killed": null, "oom": false, "stdout": "Mwo=", "stderr": "a line", "seconds": 0}""")]
    [InlineData("""{"test": 0, "exit": 0}""")]
    [InlineData("""{"verdict": "accepted"}""")]
    [InlineData("""not json""")]
    public void A_broken_report_makes_every_test_a_sandbox_error(string json)
    {
        var run = Run(Ready() + Line(json) + Test(0, "3\n") + Test(1, "4\n") + Test(2, "10\n"));
        var tests = Interpret(run);
        Assert.Equal(3, tests.Count);
        Assert.All(tests, t => Assert.Equal(CodeVerdict.SandboxError, t.Verdict));
        Assert.Equal(CodeVerdict.SandboxError, CodeScorer.Overall(tests));
    }

    [Fact]
    public void A_test_reported_twice_is_a_broken_report()
    {
        var run = Run(Ready() + Test(0, "3\n") + Test(0, "3\n") + Test(1, "4\n") + Test(2, "10\n"));
        Assert.All(Interpret(run), t => Assert.Equal(CodeVerdict.SandboxError, t.Verdict));
    }

    [Theory]
    [InlineData(SandboxTermination.StartFailed, -1)]
    [InlineData(SandboxTermination.WallTimeout, 137)]
    [InlineData(SandboxTermination.Exited, 0)]
    public void Without_the_ready_line_no_program_ran_so_every_test_is_a_sandbox_error(SandboxTermination termination, int exitCode)
    {
        var tests = Interpret(Run("", termination, exitCode, stderr: "bwrap: setting up uid map: Permission denied\n"));
        Assert.Equal(3, tests.Count);
        Assert.All(tests, t => Assert.Equal(CodeVerdict.SandboxError, t.Verdict));
    }
}
