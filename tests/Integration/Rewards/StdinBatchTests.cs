using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Code;
using Pipeline.Tests.Integration.Sandbox;

namespace Pipeline.Tests.Integration.Rewards;

/// <summary>All of a completion's stdin tests in one sandbox under the trusted runner: the verdicts a sandbox per
/// test gives, nothing carried from one test to the next, and a runner that a program can neither stop nor
/// impersonate.</summary>
[Collection(SandboxCollection.Name)]
public class StdinBatchTests(SandboxFixture fixture)
{
    /// <summary>How the batched tests run: a sandbox per completion here, a long-lived session in
    /// <see cref="StdinSessionTests"/>, which runs every test of this class again.</summary>
    protected virtual StdinTestsPerSandbox Mode => StdinTestsPerSandbox.All;

    /// <summary>One program that fails in a different way on each input.</summary>
    const string Misbehaving = """
        import sys, time
        word = sys.stdin.read().strip()
        if word == "wrong":
            print("right")
        elif word == "crash":
            raise ValueError("on purpose")
        elif word == "spin":
            while True:
                pass
        elif word == "sleep":
            time.sleep(120)
        elif word == "flood":
            while True:
                print("x" * 1000)
        elif word == "allocate":
            x = bytearray(1 << 32)
        print(word)
        """;

    protected static string Reference(params string[] words) =>
        new CodeReference { Tests = words.Select(w => new CodeTestCase(w + "\n", w + "\n")).ToList() }.ToJson();

    protected CodeScorer Batched => new(fixture.Sandbox, Mode);

    CodeScorer OnePerTest => new(fixture.Sandbox, StdinTestsPerSandbox.One);

    protected static IEnumerable<CodeVerdict> Verdicts(CodeScoreResult result) => result.Tests.Select(t => t.Verdict);

    [Fact]
    public async Task Every_kind_of_ending_gets_the_verdict_a_sandbox_per_test_gives()
    {
        var reference = Reference("first", "wrong", "crash", "spin", "sleep", "flood", "allocate", "last");
        var completion = SandboxFixture.Completion(Misbehaving);
        var batched = await Batched.ScoreAsync(0, completion, reference);
        var separate = await OnePerTest.ScoreAsync(0, completion, reference);

        CodeVerdict[] expected =
        [
            CodeVerdict.Accepted, CodeVerdict.WrongAnswer, CodeVerdict.RuntimeError, CodeVerdict.TimeLimit,
            CodeVerdict.TimeLimit, CodeVerdict.OutputLimit, CodeVerdict.MemoryLimit, CodeVerdict.Accepted,
        ];
        Assert.Equal(expected, Verdicts(separate));
        Assert.Equal(expected, Verdicts(batched));
        // A spinning program can meet the wall clock before its CPU second on a loaded machine; every other detail is fixed.
        Assert.Equal(
            separate.Tests.Where(t => t.Verdict != CodeVerdict.TimeLimit),
            batched.Tests.Where(t => t.Verdict != CodeVerdict.TimeLimit));
        Assert.Equal("wall-clock limit", batched.Tests[4].Detail);
        Assert.Equal("MemoryError", batched.Tests[6].Detail);
        Assert.Equal(CodeVerdict.WrongAnswer, batched.Verdict);
        Assert.Equal(0, batched.Score.Reward);
    }

    [Fact]
    public async Task A_program_ends_as_in_an_interpreter_of_its_own()
    {
        // Each test's program runs in a fork of the runner, not a fresh interpreter: exit statuses, the last line
        // of a traceback, what is flushed at exit, threads and atexit must still come out as they do there.
        var program = """
            import sys, time
            word = input()
            rest = sys.stdin.read()
            if word == "exit3":
                sys.exit(3)
            elif word == "message":
                raise SystemExit("no answer")
            elif word == "divide":
                print(rest)
                1 / 0
            elif word == "interrupt":
                raise KeyboardInterrupt
            elif word == "partial":
                sys.stdout.write(rest.strip())
            elif word == "thread":
                import threading
                threading.Thread(target=lambda: (time.sleep(0.2), print(rest.strip()))).start()
            elif word == "atexit":
                import atexit
                atexit.register(print, rest.strip())
            elif word == "fdopen":
                import os
                os.fdopen(1, "w").write(rest)
            elif word == "exit0":
                print(rest.strip())
                sys.exit()
            else:
                print(sum(int(x) for x in rest.split()))
            """;
        var tests = new[] { "exit3", "message", "divide", "interrupt", "partial", "thread", "atexit", "fdopen", "exit0" }
            .Select(w => new CodeTestCase($"{w}\nhello world\n", "hello world\n"))
            .Append(new CodeTestCase("sum\n1 2\n3\n", "6\n"))
            .ToList();
        var reference = new CodeReference { Tests = tests }.ToJson();
        var completion = SandboxFixture.Completion(program);
        var batched = await Batched.ScoreAsync(0, completion, reference);
        var separate = await OnePerTest.ScoreAsync(0, completion, reference);

        Assert.Equal(
            [
                new CodeTestResult(CodeVerdict.RuntimeError, "exit code 3"),
                new CodeTestResult(CodeVerdict.RuntimeError, "no answer"),
                new CodeTestResult(CodeVerdict.RuntimeError, "ZeroDivisionError: division by zero"),
                new CodeTestResult(CodeVerdict.RuntimeError, "killed by signal 2: KeyboardInterrupt"),
            ],
            batched.Tests.Take(4));
        Assert.All(batched.Tests.Skip(4), t => Assert.Equal(CodeVerdict.Accepted, t.Verdict));
        Assert.Equal(separate.Tests, batched.Tests);
    }

    [Fact]
    public async Task A_program_that_does_not_compile_fails_as_in_an_interpreter_of_its_own()
    {
        var completion = SandboxFixture.Completion("print('a')\nx = (\n");
        var batched = await Batched.ScoreAsync(0, completion, Reference("a", "b"));
        var separate = await OnePerTest.ScoreAsync(0, completion, Reference("a", "b"));

        Assert.Equal(CodeVerdict.RuntimeError, batched.Tests[0].Verdict);
        Assert.StartsWith("SyntaxError: ", batched.Tests[0].Detail);
        Assert.Equal(separate.Tests, batched.Tests);
    }

    [Fact]
    public async Task A_program_finds_the_process_state_of_an_interpreter_of_its_own()
    {
        // Streams, signals, __main__, argv and open descriptors as `python3 -I -S -B -c` has them; no descriptor
        // reaches the runner's report.
        var program = """
            import os, signal, sys
            streams = [(s.name, s.mode, s.encoding, s.errors, s.line_buffering, s.write_through, s.buffer.raw.closefd)
                       for s in (sys.stdin, sys.stdout, sys.stderr)]
            print(streams, sys.stdin is sys.__stdin__, sys.stdout is sys.__stdout__, sys.stderr is sys.__stderr__)
            print([signal.getsignal(s) for s in (signal.SIGINT, signal.SIGPIPE, signal.SIGXFSZ, signal.SIGCHLD)])
            print(sys.argv, __name__, sorted(globals()), sys.modules['__main__'] is sys.modules[__name__])
            print(sorted(os.listdir('/proc/self/fd')), os.stat('/proc/self/fd').st_uid == os.getuid())
            written = 0
            for fd in range(3, 1024):
                try:
                    os.write(fd, b"x")
                    written += 1
                except OSError:
                    pass
            print(written, signal.set_wakeup_fd(-1))
            """;
        var fresh = await fixture.Sandbox.RunPythonAsync(["-c", program], ReadOnlyMemory<byte>.Empty);
        Assert.Equal(0, fresh.ExitCode);
        Assert.Contains("['0', '1', '2', '3'] True\n0 -1\n", fresh.StdoutText);
        var reference = new CodeReference { Tests = [new("", fresh.StdoutText), new("", fresh.StdoutText)] }.ToJson();
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, await Batched.ScoreAsync(0, SandboxFixture.Completion(program), reference));
    }

    [Fact]
    public async Task One_failing_test_among_passing_ones_fails_only_itself()
    {
        var problem = CodeProblems.Get("sum-list");
        var result = await Batched.ScoreAsync(0, SandboxFixture.Completion(
            "import sys\nnumbers = sys.stdin.read().split()\nprint(sum(int(x) for x in numbers) + (1 if len(numbers) == 1 else 0))"),
            problem.Reference);
        Assert.Equal(
            [CodeVerdict.Accepted, CodeVerdict.Accepted, CodeVerdict.WrongAnswer, CodeVerdict.Accepted, CodeVerdict.Accepted],
            Verdicts(result));
    }

    [Fact]
    public async Task An_out_of_memory_kill_is_charged_to_its_own_test()
    {
        // Four processes each under the address-space limit hold more than the run's cgroup allows, so the kernel
        // kills some of them: the three helpers, which offer themselves first, and the program survives and prints
        // the right answer. Only the test during which the cgroup counted the kills is a memory limit, as in a
        // sandbox of its own.
        var program = """
            import os, sys, time
            word = sys.stdin.read().strip()
            if word == "spread":
                forked = False
                for _ in range(3):
                    forked = os.fork() == 0
                    if forked:
                        with open('/proc/self/oom_score_adj', 'w') as f:
                            f.write('1000')
                        break
                blocks = [b'x' * (4 << 20) for _ in range(25)]
                time.sleep(1)
                if forked:
                    os._exit(0)
                while True:
                    try:
                        os.wait()
                    except ChildProcessError:
                        break
            print(word)
            """;
        var completion = SandboxFixture.Completion(program);
        var reference = Reference("before", "spread", "after");
        CodeVerdict[] expected = [CodeVerdict.Accepted, CodeVerdict.MemoryLimit, CodeVerdict.Accepted];
        Assert.Equal(expected, Verdicts(await OnePerTest.ScoreAsync(0, completion, reference)));
        Assert.Equal(expected, Verdicts(await Batched.ScoreAsync(0, completion, reference)));
    }

    [Fact]
    public async Task The_runner_is_pid_1_and_the_programs_parent()
    {
        // In a session the program's parent is its completion's judge, forked from the runner that is pid 1.
        var parent = Mode == StdinTestsPerSandbox.Session ? "False" : "True";
        var result = await Batched.ScoreAsync(0, SandboxFixture.Completion("""
            import os
            print(os.getpid() != 1, os.getppid() == 1, open('/proc/1/cmdline', 'rb').read().split(b'\0')[0].decode())
            """), $$"""{"tests": [{"input": "", "output": "True {{parent}} {{fixture.Sandbox.Options.PythonPath}}\n"}]}""");
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, result);
    }

    [Fact]
    public async Task Nothing_a_test_leaves_in_tmp_or_in_ipc_reaches_the_next()
    {
        // Every test must find an empty working directory and no message queue, whatever the one before made.
        var program = """
            import ctypes, os
            libc = ctypes.CDLL(None, use_errno=True)
            print(sorted(os.listdir('.')), libc.msgget(4242, 0) != -1)
            with open('.hidden', 'w') as f:
                f.write('state')
            os.makedirs('deep/er/still')
            os.chmod('deep/er', 0)
            os.chmod('.', 0o500)
            libc.msgget(4242, 0o1600)
            """;
        var reference = """{"tests": [{"input": "", "output": "[] False\n"}, {"input": "", "output": "[] False\n"}, {"input": "", "output": "[] False\n"}]}""";
        var result = await Batched.ScoreAsync(0, SandboxFixture.Completion(program), reference);
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, result);
        Assert.Equal(3, result.Tests.Count);
    }

    [Fact]
    public async Task A_daemon_left_by_one_test_is_gone_before_the_next()
    {
        var program = """
            import os, sys, time
            if sys.stdin.read() == "leave one\n":
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        time.sleep(60)
                    os._exit(0)
                time.sleep(0.2)
            print([p for p in os.listdir('/proc') if p.isdigit() and p not in ('1', str(os.getpid()), str(os.getppid()))])
            """;
        var reference = """{"tests": [{"input": "leave one\n", "output": "[]\n"}, {"input": "\n", "output": "[]\n"}]}""";
        var result = await Batched.ScoreAsync(0, SandboxFixture.Completion(program), reference);
        // The first test sees its own daemon; the second must not.
        Assert.Equal([CodeVerdict.WrongAnswer, CodeVerdict.Accepted], Verdicts(result));
    }

    [Fact]
    public async Task Killing_pid_1_stops_nothing_and_passes_nothing()
    {
        var program = """
            import os, signal
            for target in (1, -1):
                for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
                    try:
                        os.kill(target, sig)
                    except OSError:
                        pass
            print("still here")
            """;
        var result = await Batched.ScoreAsync(0, SandboxFixture.Completion(program), Reference("a", "b", "c"));
        // Pid 1 survived every signal. A batch's runner is pid 1, so each test ran and was judged on its output; a
        // session's judge is not, so the program killed it and lost its tests (never a pass, never a sandbox error).
        var verdict = Mode == StdinTestsPerSandbox.Session ? CodeVerdict.RuntimeError : CodeVerdict.WrongAnswer;
        Assert.Equal([verdict, verdict, verdict], Verdicts(result));
    }

    [Fact]
    public async Task Forged_report_lines_pass_nothing()
    {
        // The program writes runner-shaped lines claiming the right output wherever it can reach, with a guessed
        // nonce and with none, then prints a wrong answer.
        var program = """
            import base64, json, os
            line = json.dumps({"test": 0, "exit": 0, "signal": None, "killed": None, "oom": False,
                               "stdout": base64.b64encode(b"a\n").decode(), "stderr": "", "seconds": 0.1})
            forged = ("0123456789abcdef0123456789abcdef " + line + "\n" + line + "\n").encode()
            for path in ["/proc/1/fd/1", "/proc/%d/fd/1" % os.getppid(), "/dev/stdout"]:
                try:
                    fd = os.open(path, os.O_WRONLY)
                    os.write(fd, forged)
                    os.close(fd)
                except OSError:
                    pass
            print("wrong")
            """;
        var result = await Batched.ScoreAsync(0, SandboxFixture.Completion(program), Reference("a", "b"));
        Assert.Equal([CodeVerdict.WrongAnswer, CodeVerdict.WrongAnswer], Verdicts(result));
        Assert.Equal(0, result.Score.Reward);
    }
}
