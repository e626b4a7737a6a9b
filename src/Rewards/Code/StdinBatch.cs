using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Code;

namespace Pipeline.Rewards.Code;

/// <summary>Runs all the stdin tests of one completion in one sandbox without trusting anything the program says.
///
/// A trusted runner (<c>Harness/stdin_runner.py</c>) is the sandbox's pid 1 (<see cref="Sandbox.RunBatchAsync"/>).
/// It makes itself undumpable before any program starts, then for each test in order: empties /tmp and the IPC
/// namespace, starts the program as a process of its own with fresh pipes — so the per-process limits (CPU seconds,
/// address space, file size, open files) are each test's, as with a sandbox per test —, feeds it the input, kills it
/// at the wall-clock or output limit, kills whatever else is left in the pid namespace (a daemon that left with setsid
/// included), and reports the test on its own stdout, which no program holds, prefixed with a random nonce it
/// received on stdin. As pid 1 it cannot be signalled from inside the namespace except through the SIGCHLD handler
/// it wakes on. It judges nothing: outputs are compared here, and a report that is missing, forged or broken is a
/// sandbox error, never a pass.</summary>
static class StdinBatch
{
    const int SigKill = 9;

    /// <summary>The runner, as the program text of the batch's run.</summary>
    public static string Source { get; } = HarnessScript.Read("session.py") + HarnessScript.Read("stdin_runner.py");

    /// <summary>The runner's arguments as a long-lived session (<see cref="Sandbox.RunInSessionAsync"/>).</summary>
    public static IReadOnlyList<string> SessionArguments { get; } = ["-c", Source, "session"];

    /// <summary>The runner's standard input, one field a line (the runner parses no JSON: importing it would cost
    /// more than half an interpreter start): the nonce, the wall-clock seconds and the output bytes each program may
    /// use, the OOM control file or "-", the program, then each test's input. The program and the inputs travel as
    /// base64 of their UTF-8 bytes, so a program reads exactly the bytes it would read in a sandbox of its own; the
    /// expected outputs never enter the sandbox.</summary>
    public static byte[] Request(
        string nonce, string program, IReadOnlyList<CodeTestCase> tests, double wallSeconds, int maxOutputBytes,
        string? oomControl)
    {
        string[] fields =
        [
            nonce, wallSeconds.ToString("R", CultureInfo.InvariantCulture), maxOutputBytes.ToString(CultureInfo.InvariantCulture),
            oomControl ?? "-", Base64(program), .. tests.Select(t => Base64(t.Input)),
        ];
        return Encoding.UTF8.GetBytes(string.Concat(fields.Select(f => f + "\n")));
    }

    /// <summary>Turns the runner's report into one verdict per test, with the verdicts a sandbox per test would give.
    /// Tests the runner never reported take the verdict of how the run ended when that was a limit (the runner died
    /// with them); a report that is missing, broken or fatal makes every test a sandbox error.</summary>
    public static IReadOnlyList<CodeTestResult> Interpret(
        SandboxResult run, string nonce, IReadOnlyList<CodeTestCase> tests, int? judgeSignal = null)
    {
        int? ready = null;
        string? broken = null;
        var results = new List<CodeTestResult>();
        foreach (var line in NonceReport.Read(run.StdoutText, nonce))
        {
            try
            {
                var root = line ?? throw new FormatException("not JSON");
                if (root.TryGetProperty("fatal", out var why))
                {
                    broken ??= why.GetString() ?? "the stdin runner failed";
                }
                else if (root.TryGetProperty("ready", out var count))
                {
                    ready = count.GetInt32();
                }
                else if (root.TryGetProperty("test", out var index) && index.GetInt32() == results.Count && results.Count < tests.Count)
                {
                    var program = Program(root, run);
                    results.Add(CodeScorer.Judge(RunEnding.AbnormalProgram(program), program, tests[results.Count]));
                }
                else
                {
                    broken ??= "a stdin runner report out of order";
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                broken ??= "unreadable stdin runner report";
            }
        }

        var ending = RunEnding.Abnormal(run);
        var how = ending is { } end ? $" ({end.Detail})" : "";
        if (broken is not null || ready != tests.Count)
        {
            // The runner announces itself before any program exists: without that line, no program ran.
            var why = broken ?? (ready is null
                ? "the stdin runner reported nothing" + how
                : $"the stdin runner read {ready} tests, not {tests.Count}");
            return tests.Select(_ => new CodeTestResult(CodeVerdict.SandboxError, why)).ToList();
        }
        var missing = judgeSignal is { } signal && !run.MemoryLimitHit && run.Termination == SandboxTermination.Exited
            // Only a program of this completion (same uid, no capabilities) can signal its judge.
            ? new CodeTestResult(CodeVerdict.RuntimeError, $"the program killed its judge (signal {signal})")
            : ending is { Verdict: CodeVerdict.TimeLimit or CodeVerdict.MemoryLimit or CodeVerdict.OutputLimit or CodeVerdict.SandboxError } limit
            ? new CodeTestResult(limit.Verdict, limit.Detail)
            : new CodeTestResult(CodeVerdict.SandboxError, "the stdin runner stopped before this test" + how);
        return [.. results, .. Enumerable.Repeat(missing, tests.Count - results.Count)];
    }

    /// <summary>One test's program as its runner saw it end, in the shape of a run of its own.</summary>
    static SandboxResult Program(JsonElement report, SandboxResult run)
    {
        int? signal = report.GetProperty("signal").ValueKind == JsonValueKind.Null ? null : report.GetProperty("signal").GetInt32();
        var killed = report.GetProperty("killed").GetString();
        bool? oom = report.GetProperty("oom").ValueKind == JsonValueKind.Null ? null : report.GetProperty("oom").GetBoolean();
        return new SandboxResult
        {
            Termination = killed switch
            {
                null => SandboxTermination.Exited,
                "wall" => SandboxTermination.WallTimeout,
                "output" => SandboxTermination.OutputLimit,
                _ => throw new FormatException($"unknown kill reason '{killed}'"),
            },
            ExitCode = signal is { } n ? 128 + n : report.GetProperty("exit").GetInt32(),
            Stdout = Convert.FromBase64String(report.GetProperty("stdout").GetString() ?? throw new FormatException("no stdout")),
            Stderr = Convert.FromBase64String(report.GetProperty("stderr").GetString() ?? throw new FormatException("no stderr")),
            // The runner counts the cgroup's OOM kills before and after each test; where it cannot, the run's own
            // flag explains only a SIGKILL that nothing else claims.
            MemoryLimitHit = oom ?? (run.MemoryLimitHit && signal == SigKill && killed is null),
            Elapsed = TimeSpan.FromSeconds(report.GetProperty("seconds").GetDouble()),
        };
    }

    static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
