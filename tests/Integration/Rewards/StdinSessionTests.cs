using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Code;
using Pipeline.Tests.Integration.Sandbox;

namespace Pipeline.Tests.Integration.Rewards;

/// <summary>Every test of <see cref="StdinBatchTests"/> again with the stdin tests in a long-lived session, and what
/// only a session can get wrong: one completion reaching another through the sandbox they share, and a session that a
/// program broke being used again.</summary>
[Collection(SandboxCollection.Name)]
public sealed class StdinSessionTests(SandboxFixture fixture) : StdinBatchTests(fixture)
{
    protected override StdinTestsPerSandbox Mode => StdinTestsPerSandbox.Session;

    /// <summary>A secret as the tests below use it: a fixed prefix and 32 random hex digits.</summary>
    static string NewSecret() => $"SECRET-SECRET-SECRET-{Guid.NewGuid():N}";

    /// <summary>Defines <c>scan()</c>: "found" when this process's readable memory holds a secret as
    /// <see cref="NewSecret"/> makes them, raw or base64-encoded at any alignment (as a runner's report carries a
    /// program's output), else "clean". The patterns are built so that they do not match themselves.</summary>
    const string ScanFunction = """
        def scan(*ignored):
            import base64, re
            prefix = b"SECRET-" * 3
            patterns = [re.escape(prefix) + rb"[0-9a-f]{32}"]
            for shift in range(3):
                text = base64.b64encode(b"\0" * shift + prefix)
                patterns.append(re.escape(text[4 if shift else 0:4 * ((shift + len(prefix)) // 3)]) + rb"[A-Za-z0-9+/]{4}")
            pattern = re.compile(b"|".join(patterns))
            found = False
            with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
                for line in maps:
                    fields = line.split()
                    if not fields[1].startswith("r") or (len(fields) > 5 and fields[5].startswith("[v")):
                        continue
                    start, end = (int(x, 16) for x in fields[0].split("-"))
                    for offset in range(start, end, 1 << 20):  # a megabyte at a time, overlapping: the address-space limit
                        try:
                            mem.seek(offset)
                            found = found or pattern.search(mem.read(min((1 << 20) + 64, end - offset))) is not None
                        except (OSError, ValueError, OverflowError):
                            break
            return "found" if found else "clean"

        """;

    /// <summary>Prints what <c>scan()</c> finds.</summary>
    const string MemoryScan = ScanFunction + "print(scan())\n";

    [Fact]
    public async Task A_completion_finds_nothing_of_the_one_before_in_its_memory()
    {
        // A completion echoes a secret, 54 kB of it, in three tests: its input, its output and their base64 forms
        // pass through its judge.
        var secret = string.Concat(Enumerable.Repeat(NewSecret() + "\n", 1000));
        var echo = SandboxFixture.Completion("import sys\nsys.stdout.write(sys.stdin.read())\n");
        var first = await Batched.ScoreAsync(0, echo, new CodeReference
        {
            Tests = Enumerable.Repeat(new CodeTestCase(secret, secret), 3).ToList(),
        }.ToJson());
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, first);

        // The next completion runs in the same session (its judge is not the namespace's first process) and finds
        // none of it anywhere in its memory.
        var second = await Batched.ScoreAsync(1, SandboxFixture.Completion(MemoryScan + "import os\nprint(os.getppid() > 2)\n"),
            """{"tests": [{"input": "", "output": "clean\nTrue\n"}]}""");
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, second);

        // The scan does find a secret where one is: in the memory of the program that read it.
        var reader = await Batched.ScoreAsync(2, SandboxFixture.Completion("import sys\ndata = sys.stdin.read()\n" + MemoryScan),
            new CodeReference { Tests = [new CodeTestCase(NewSecret(), "found\n")] }.ToJson());
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, reader);
    }

    [Fact]
    public async Task Test_code_never_reaches_the_programs_process_nor_the_next_completion()
    {
        // The test code holds a secret (as it holds expected values); the program's process is forked in the session
        // before its judge reads the test code, so the program finds neither this secret nor the one before.
        string TestCode() => $"expected = '{NewSecret()}'\nassert scan() == 'clean'\n";
        var program = SandboxFixture.Completion(ScanFunction);
        var first = await Batched.ScoreAsync(0, program, new CodeReference { TestCode = TestCode() }.ToJson());
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, first);
        var second = await Batched.ScoreAsync(1, program, new CodeReference { TestCode = TestCode() }.ToJson());
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, second);

        // What the test code hands the program does reach it, and the scan sees it there.
        var handed = await Batched.ScoreAsync(2, program,
            new CodeReference { TestCode = $"assert scan('{NewSecret()}') == 'found'\n" }.ToJson());
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, handed);
    }

    [Theory]
    // Killed, the judge reports nothing more and the tests it never reported are the program's runtime errors.
    [InlineData("SIGKILL", CodeVerdict.RuntimeError, "killed its judge")]
    // Stopped, it reports nothing more either: the host's wall clock for the whole request ends the session, and the
    // tests it never reported are time limits.
    [InlineData("SIGSTOP", CodeVerdict.TimeLimit, "wall-clock limit")]
    public async Task A_program_that_signals_its_judge_loses_only_its_own_tests(string signal, CodeVerdict verdict, string detail)
    {
        var signaller = SandboxFixture.Completion($"""
            import os, signal
            os.kill(os.getppid(), signal.{signal})
            print("a")
            """);
        var signalled = await Batched.ScoreAsync(0, signaller, Reference("a", "a"));
        Assert.Equal([verdict, verdict], Verdicts(signalled));
        Assert.Contains(detail, signalled.Tests[0].Detail);

        // The next completion is judged as if nothing had happened, whatever session it lands in.
        var next = await Batched.ScoreAsync(1, SandboxFixture.Completion("print(input())\n"), Reference("x", "y"));
        Assert.Equal([CodeVerdict.Accepted, CodeVerdict.Accepted], Verdicts(next));
    }

    [Fact]
    public async Task Completions_judged_at_once_each_get_their_own_verdicts()
    {
        var right = SandboxFixture.Completion("print(input())\n");
        var wrong = SandboxFixture.Completion("print('no')\n");
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Batched.ScoreAsync(i, i % 2 == 0 ? right : wrong, Reference($"w{i}", $"v{i}"))));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? CodeVerdict.Accepted : CodeVerdict.WrongAnswer, results[i].Verdict);
        }
    }
}
