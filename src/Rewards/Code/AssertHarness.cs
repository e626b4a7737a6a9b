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
/// that exits early, prints "PASSED", kills the harness or breaks the protocol therefore only loses tests.</summary>
static class AssertHarness
{
    /// <summary>Value encoding shared by both processes; only the harness's decoder is trusted.</summary>
    static readonly string Codec = HarnessScript.Read("codec.py");

    /// <summary>The program's process: loads the program, then answers calls until its input ends.</summary>
    static readonly string Server = HarnessScript.Read("server.py");

    /// <summary>The trusted harness: reads {nonce, program, tests, server} on stdin, reports on stdout.</summary>
    static readonly string Harness = HarnessScript.Read("harness.py");

    /// <summary>The harness, as the program text of one sandboxed run.</summary>
    public static string Source { get; } = Codec + Harness;

    /// <summary>The standard input of that run: the nonce, the program, the test code and the server.</summary>
    public static byte[] Request(string nonce, string program, string testCode) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["nonce"] = nonce,
            ["program"] = program,
            ["tests"] = testCode,
            ["server"] = Codec + Server,
        });

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
