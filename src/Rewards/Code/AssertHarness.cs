using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Sandboxing;

namespace Pipeline.Rewards.Code;

/// <summary>Runs assert-style test code against a program without trusting anything the program says.
///
/// Inside one sandbox, a trusted harness process runs the task's test code and a separate process runs the
/// program. The test code calls the program's top-level functions through proxies: arguments and results cross a
/// pipe as tagged JSON and are rebuilt by the harness as plain builtins (None, bool, int, float, str, bytes, list,
/// tuple, set, frozenset, dict), so an object whose <c>__eq__</c> is always true, a monkeypatched builtin or a
/// patched comparison in the program's process can never reach an assertion. Inside <c>assert</c> statements
/// <c>==</c> and <c>!=</c> are rewritten to a type-strict comparison (<c>True != 1</c>, <c>3.0 != 3</c>,
/// <c>(1,) != [1]</c>). The harness makes itself undumpable before the program starts, so the program (same uid,
/// no capabilities) cannot open its /proc fds or memory; it reports each test on its own stdout, which the program
/// never holds, prefixing every line with a random per-run nonce it received on stdin (defence in depth). A program
/// that exits early, prints "PASSED", kills the harness or breaks the protocol therefore only loses tests.
///
/// In a sandbox of its own (<see cref="Source"/>) the program's process is an interpreter of its own; in a session
/// (<see cref="StdinTestsPerSandbox.Session"/>, <c>Harness/harness_session.py</c>) the harness is a judge forked per
/// completion from a pid 1 that never reads one, and the program's process a fork of the judge made after it has read
/// the program and before it reads the test code and the nonce.</summary>
static class AssertHarness
{
    /// <summary>Value encoding shared by both processes; only the harness's decoder is trusted.</summary>
    static readonly string Codec = HarnessScript.Read("codec.py");

    /// <summary>The program's process: loads the program, then answers calls until its input ends.</summary>
    static readonly string Server = HarnessScript.Read("server.py");

    /// <summary>The trusted harness: runs the test code against the program's process, reports on stdout.</summary>
    static readonly string Harness = HarnessScript.Read("harness.py");

    /// <summary>The harness, as the program text of one sandboxed run: reads {nonce, program, tests, server} on stdin
    /// and starts the server as an interpreter of its own.</summary>
    public static string Source { get; } = Codec + Harness + "\nmain()\n";

    /// <summary>The harness as a long-lived session (<see cref="Sandbox.RunInSessionAsync"/>,
    /// <c>Harness/harness_session.py</c>): a judge per completion forks the program's process from itself before it
    /// reads the test code.</summary>
    public static IReadOnlyList<string> SessionArguments { get; } =
        ["-c", HarnessScript.Read("session.py") + Codec + Server + Harness + HarnessScript.Read("harness_session.py")];

    /// <summary>The standard input of a batch run: the nonce, the program, the test code and the server.</summary>
    public static byte[] Request(string nonce, string program, string testCode) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["nonce"] = nonce,
            ["program"] = program,
            ["tests"] = testCode,
            ["server"] = Codec + Server + "\nserve(int(sys.argv[1]), int(sys.argv[2]))\n",
        });

    /// <summary>A session's request: the program alone, then the nonce and the test code, which the program's
    /// process is forked before.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> SessionFrames(string nonce, string program, string testCode) =>
    [
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["program"] = program }),
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["nonce"] = nonce, ["tests"] = testCode }),
    ];

    public static string NewNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>Turns the harness's report into one verdict per test. Tests it did not report take the verdict of
    /// how the run ended; a report that is missing, broken or fatal is a sandbox error, never a pass.</summary>
    public static IReadOnlyList<CodeTestResult> Interpret(SandboxResult run, string nonce)
    {
        int? count = null;
        string? fatal = null;
        var reported = new Dictionary<int, CodeTestResult>();
        foreach (var line in NonceReport.Read(run.StdoutText, nonce))
        {
            try
            {
                var root = line ?? throw new FormatException("not JSON");
                if (root.TryGetProperty("fatal", out var why))
                {
                    fatal = why.GetString();
                }
                else if (root.TryGetProperty("count", out var n))
                {
                    count = n.GetInt32();
                }
                else if (root.TryGetProperty("test", out var test) && root.TryGetProperty("verdict", out var verdict))
                {
                    var word = verdict.GetString() ?? "";
                    var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
                    var parsed = word == "killed"
                        ? (run.MemoryLimitHit ? CodeVerdict.MemoryLimit : CodeVerdict.TimeLimit)
                        : CodeVerdictNames.FromWire(word) ?? CodeVerdict.SandboxError;
                    reported[test.GetInt32()] = new CodeTestResult(parsed, string.IsNullOrEmpty(detail) ? null : detail);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                fatal = "unreadable harness report";
            }
        }

        var ending = RunEnding.Abnormal(run);
        if (fatal is not null || count is null)
        {
            // The harness announces the count before the program exists: without it, the program never ran.
            return [new CodeTestResult(CodeVerdict.SandboxError,
                fatal ?? "the test harness reported nothing" + (ending is { } e ? $" ({e.Detail})" : ""))];
        }
        if (count == 0)
        {
            return [new CodeTestResult(CodeVerdict.SandboxError, "the test code contains no tests")];
        }
        var missing = ending is { } end
            ? new CodeTestResult(end.Verdict, end.Detail)
            : new CodeTestResult(CodeVerdict.RuntimeError, "the test harness stopped before this test");
        return Enumerable.Range(0, count.Value)
            .Select(i => reported.TryGetValue(i, out var r) ? r : missing)
            .ToList();
    }
}
