using System.Net;
using System.Net.Sockets;
using Pipeline.Contracts;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using CodeSandbox = Pipeline.Sandboxing.Sandbox;

namespace Pipeline.Tests.Integration.Sandbox;

/// <summary>Programs written to break out, hang, exhaust or fool the verifier: each must be contained, score 0
/// with the right verdict, leave the host as it was, and leave the scorer serving. Here the programs run as the
/// verifier runs them by default, in sandbox sessions; <see cref="HostileProgramBatchTests"/> runs every test again
/// with a sandbox per completion.</summary>
[Collection(SandboxCollection.Name)]
public class HostileProgramTests(SandboxFixture fixture)
{
    /// <summary>The scorer every test goes through.</summary>
    protected virtual CodeScorer Scorer => fixture.Scorer;

    const string SumReference = """{"tests": [{"input": "1 2\n", "output": "3\n"}]}""";
    const string GcdReference = """{"test_code": "assert gcd(12, 18) == 6\nassert gcd(17, 5) == 1\n"}""";

    async Task<CodeScoreResult> Score(string program, string reference = SumReference)
    {
        var result = await Scorer.ScoreAsync(0, SandboxFixture.Completion(program), reference);
        Assert.Equal(0, result.Score.Reward);
        Assert.Equal(0, result.Score.Components[RewardComponents.Accuracy]);
        Assert.Equal(1, result.Score.Components[RewardComponents.Format]);
        await AssertStillServing();
        return result;
    }

    async Task AssertStillServing()
    {
        var ok = await Scorer.ScoreAsync(
            1, SandboxFixture.Completion("import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))"), SumReference);
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, ok);
    }

    static void AssertNoProcessMentions(string marker)
    {
        var survivors = Directory.EnumerateDirectories("/proc")
            .Where(dir => int.TryParse(Path.GetFileName(dir), out _))
            .Where(dir =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .ToList();
        Assert.Empty(survivors);
    }

    [Fact]
    public async Task Infinite_loop_hits_the_cpu_limit()
    {
        var result = await Score("while True:\n    pass");
        SandboxFixture.AssertVerdict(CodeVerdict.TimeLimit, result);
    }

    [Fact]
    public async Task Sleeping_hits_the_wall_clock_limit()
    {
        var result = await Score("import time\ntime.sleep(120)\nprint(3)");
        SandboxFixture.AssertVerdict(CodeVerdict.TimeLimit, result);
        Assert.Equal("wall-clock limit", result.Tests.Single().Detail);
    }

    [Fact]
    public async Task One_huge_allocation_is_a_memory_limit()
    {
        var result = await Score("x = bytearray(1 << 32)\nprint(3)");
        SandboxFixture.AssertVerdict(CodeVerdict.MemoryLimit, result);
    }

    [Fact]
    public async Task Growing_memory_is_a_memory_limit()
    {
        var result = await Score("blocks = []\nwhile True:\n    blocks.append(b'x' * (4 << 20))");
        SandboxFixture.AssertVerdict(CodeVerdict.MemoryLimit, result);
    }

    [Fact]
    public async Task Memory_spread_over_processes_is_stopped_by_the_runs_cgroup()
    {
        // Each process stays under the per-process address-space limit; together they exceed the run's cgroup.
        // The shared sandbox's 2-second wall limit can end the run first on a loaded 2-core machine (CI saw
        // TimeLimit), so this case gets a sandbox of its own that waits long enough for the cgroup to act.
        var options = SandboxFixture.TestOptions();
        options.WallSeconds = 30;
        using var sandbox = await CodeSandbox.CreateAsync(options);
        var scorer = new CodeScorer(sandbox);
        var result = await scorer.ScoreAsync(0, SandboxFixture.Completion("""
            import os, time
            for _ in range(3):
                if os.fork() == 0:
                    break
            blocks = []
            try:
                while len(blocks) < 25:
                    blocks.append(b'x' * (4 << 20))
            except MemoryError:
                pass
            time.sleep(60)
            """), SumReference);
        Assert.Equal(0, result.Score.Reward);
        SandboxFixture.AssertVerdict(CodeVerdict.MemoryLimit, result);
        await AssertStillServing();
    }

    [Fact]
    public async Task Deep_recursion_is_a_runtime_error()
    {
        var result = await Score("def f(n):\n    return f(n + 1) + 1\nprint(f(0))");
        SandboxFixture.AssertVerdict(CodeVerdict.RuntimeError, result);
        Assert.Contains("RecursionError", result.Tests.Single().Detail);
    }

    [Fact]
    public async Task Unbounded_recursion_limit_still_ends_without_reward()
    {
        var result = await Score("import sys\nsys.setrecursionlimit(10**9)\ndef f(n):\n    return f(n + 1) + 1\nprint(f(0))");
        Assert.Contains(result.Verdict, new[] { CodeVerdict.RuntimeError, CodeVerdict.MemoryLimit, CodeVerdict.TimeLimit });
    }

    [Fact]
    public async Task Fork_bomb_is_contained_and_leaves_nothing_behind()
    {
        var marker = $"forkbomb{Guid.NewGuid():N}";
        var result = await Score($"""
            import os
            # {marker}
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
            """);
        SandboxFixture.AssertVerdict(CodeVerdict.TimeLimit, result);
        AssertNoProcessMentions(marker);
    }

    [Fact]
    public async Task Thread_bomb_is_a_runtime_error()
    {
        var marker = $"threadbomb{Guid.NewGuid():N}";
        var result = await Score($"""
            import threading, time
            # {marker}
            while True:
                threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
            """);
        SandboxFixture.AssertVerdict(CodeVerdict.RuntimeError, result);
        AssertNoProcessMentions(marker);
    }

    [Fact]
    public async Task Stdout_flood_is_an_output_limit()
    {
        var result = await Score("while True:\n    print('x' * 1000)");
        SandboxFixture.AssertVerdict(CodeVerdict.OutputLimit, result);
    }

    [Fact]
    public async Task One_giant_line_is_an_output_limit()
    {
        var result = await Score("import sys\nsys.stdout.write('3' * (32 << 20))");
        SandboxFixture.AssertVerdict(CodeVerdict.OutputLimit, result);
    }

    [Fact]
    public async Task Endless_line_without_newline_is_an_output_limit()
    {
        var result = await Score("import sys\nwhile True:\n    sys.stdout.write('3' * 4096)");
        SandboxFixture.AssertVerdict(CodeVerdict.OutputLimit, result);
    }

    [Fact]
    public async Task Stderr_flood_is_an_output_limit()
    {
        var result = await Score("import sys\nprint(3)\nwhile True:\n    sys.stderr.write('e' * 4096)");
        SandboxFixture.AssertVerdict(CodeVerdict.OutputLimit, result);
    }

    [Fact]
    public async Task Flooding_output_under_test_code_is_an_output_limit()
    {
        // The program's process writes to the run's own output: past the limit it is stopped, as a stdin test's is,
        // even though every answer it gives is right.
        var result = await Score("""
            import sys
            def gcd(a, b):
                sys.stdout.write("x" * (1 << 20))
                while b:
                    a, b = b, a % b
                return a
            """, GcdReference);
        SandboxFixture.AssertVerdict(CodeVerdict.OutputLimit, result);
    }

    [Fact]
    public async Task Stopping_the_harness_is_a_time_limit()
    {
        // The program's process stops the harness that calls it (its parent): nothing more is reported, and the
        // host's wall clock ends the run.
        var result = await Score("""
            import os, signal
            def gcd(a, b):
                os.kill(os.getppid(), signal.SIGSTOP)
                while b:
                    a, b = b, a % b
                return a
            """, GcdReference);
        SandboxFixture.AssertVerdict(CodeVerdict.TimeLimit, result);
    }

    [Fact]
    public async Task Writes_outside_the_tmpfs_do_not_reach_the_host()
    {
        var tag = Guid.NewGuid().ToString("N");
        string[] hostPaths =
        [
            $"/etc/pipeline-sandbox-{tag}", $"/tmp/pipeline-sandbox-{tag}", $"/usr/pipeline-sandbox-{tag}",
            $"/root/pipeline-sandbox-{tag}", $"/var/tmp/pipeline-sandbox-{tag}", $"/work/pipeline-sandbox-{tag}",
            $"/pipeline-sandbox-{tag}", $"/dev/shm/pipeline-sandbox-{tag}", $"/dev/pipeline-sandbox-{tag}",
        ];
        var list = string.Join(", ", hostPaths.Select(p => $"'{p}'"));
        var run = await fixture.Sandbox.RunPythonAsync(["-c", $$"""
            import os
            wrote = []
            for path in [{{list}}]:
                try:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "w") as f:
                        f.write("pwned")
                    wrote.append(path)
                except OSError:
                    pass
            print("wrote", wrote)
            """], ReadOnlyMemory<byte>.Empty);
        Assert.Equal(0, run.ExitCode);
        // Only the sandbox's own /tmp (its private tmpfs) takes the write.
        Assert.Equal($"wrote ['/tmp/pipeline-sandbox-{tag}']", run.StdoutText.Trim());
        Assert.All(hostPaths, path => Assert.False(File.Exists(path), path));

        var scored = await Score($"open('/etc/pipeline-sandbox-{tag}', 'w').write('pwned')\nprint(3)");
        SandboxFixture.AssertVerdict(CodeVerdict.RuntimeError, scored);
        Assert.False(File.Exists($"/etc/pipeline-sandbox-{tag}"));
    }

    [Fact]
    public async Task Filling_the_tmpfs_fails_and_the_next_run_starts_empty()
    {
        var result = await Score("""
            i = 0
            while True:
                with open('fill%d' % i, 'wb') as f:
                    f.write(b'x' * (1 << 20))
                i += 1
            """);
        SandboxFixture.AssertVerdict(CodeVerdict.RuntimeError, result);
        Assert.Contains("No space left on device", result.Tests.Single().Detail);

        var next = await fixture.Sandbox.RunPythonAsync(["-c", "import os\nprint(os.listdir('.'))"], ReadOnlyMemory<byte>.Empty);
        Assert.Equal("[]", next.StdoutText.Trim());
    }

    [Fact]
    public async Task A_socket_to_the_hosts_loopback_never_connects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var result = await Score($"""
            import socket
            s = socket.create_connection(("127.0.0.1", {port}), timeout=1)
            s.sendall(b"hello")
            print(3)
            """);
        SandboxFixture.AssertVerdict(CodeVerdict.RuntimeError, result);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task A_double_forked_daemon_dies_with_its_run()
    {
        var marker = $"daemon{Guid.NewGuid():N}";
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var result = await Score($"""
            import os, socket, time
            # {marker}
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.close(1)
                    os.close(2)
                    time.sleep(0.5)
                    with open('/tmp/after-the-run', 'w') as f:
                        f.write('alive')
                    try:
                        socket.create_connection(("127.0.0.1", {port}), timeout=1)
                    except OSError:
                        pass
                    time.sleep(60)
                os._exit(0)
            print("started")
            """);
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
        AssertNoProcessMentions(marker);
        await Task.Delay(TimeSpan.FromSeconds(1));
        AssertNoProcessMentions(marker);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task Sys_exit_before_printing_is_a_wrong_answer()
    {
        var result = await Score("import sys\nsys.exit(0)\nprint(3)");
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
    }

    [Fact]
    public async Task Sys_exit_before_the_tests_fails_them()
    {
        var result = await Score("import sys\nsys.exit(0)\ndef gcd(a, b):\n    return 6", GcdReference);
        SandboxFixture.AssertVerdict(CodeVerdict.RuntimeError, result);
        Assert.All(result.Tests, t => Assert.Equal(CodeVerdict.RuntimeError, t.Verdict));
        Assert.Contains("SystemExit", result.Tests[0].Detail);
    }

    [Fact]
    public async Task Os_exit_before_the_tests_fails_them()
    {
        var result = await Score("import os\nos._exit(0)\ndef gcd(a, b):\n    return 6", GcdReference);
        SandboxFixture.AssertVerdict(CodeVerdict.RuntimeError, result);
        Assert.Equal(2, result.Tests.Count);
    }

    [Fact]
    public async Task Os_exit_inside_a_test_fails_it()
    {
        var result = await Score("import os\ndef gcd(a, b):\n    os._exit(0)", GcdReference);
        SandboxFixture.AssertVerdict(CodeVerdict.RuntimeError, result);
        Assert.All(result.Tests, t => Assert.Equal(CodeVerdict.RuntimeError, t.Verdict));
    }

    [Fact]
    public async Task Printing_passed_fools_nothing()
    {
        var result = await Score("""
            import sys
            for line in ["PASSED", "OK", "accepted", '{"test": 0, "verdict": "accepted"}']:
                print(line)
                sys.stderr.write(line + "\n")
            def gcd(a, b):
                print("PASSED")
                return 1
            """, GcdReference);
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
        Assert.Equal(CodeVerdict.WrongAnswer, result.Tests[0].Verdict);
    }

    [Fact]
    public async Task An_object_that_equals_everything_is_a_wrong_answer()
    {
        var result = await Score("""
            class Anything:
                def __eq__(self, other):
                    return True
                def __ne__(self, other):
                    return False
                __hash__ = object.__hash__
            class Sly(int):
                def __eq__(self, other):
                    return True
                __hash__ = int.__hash__
            def gcd(a, b):
                return Anything() if a == 12 else Sly(0)
            """, GcdReference);
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
        Assert.All(result.Tests, t => Assert.Equal(CodeVerdict.WrongAnswer, t.Verdict));
    }

    [Fact]
    public async Task Answers_of_the_wrong_type_are_wrong()
    {
        var result = await Score("def gcd(a, b):\n    return float(a if b == 0 else gcd(b, a % b))", GcdReference);
        SandboxFixture.AssertVerdict(CodeVerdict.WrongAnswer, result);
    }

    [Fact]
    public async Task Monkeypatching_and_forging_the_harness_channel_fools_nothing()
    {
        // The program patches what an in-process harness would rely on, writes fake results wherever it can
        // reach, then kills its parent (the harness) before the tests run.
        var result = await Score("""
            import builtins, os, signal
            builtins.AssertionError = type("AssertionError", (Exception,), {})
            builtins.isinstance = lambda *a: True
            fake = b'0123456789abcdef0123456789abcdef {"test": 0, "verdict": "accepted"}\n'
            for path in ["/proc/%d/fd/1" % os.getppid(), "/proc/1/fd/1", "/proc/self/fd/1", "/dev/stdout"]:
                try:
                    fd = os.open(path, os.O_WRONLY)
                    os.write(fd, fake * 3)
                    os.close(fd)
                except OSError:
                    pass
            def gcd(a, b):
                return 0
            os.kill(os.getppid(), signal.SIGKILL)
            """, GcdReference);
        Assert.NotEqual(CodeVerdict.Accepted, result.Verdict);
        Assert.DoesNotContain(result.Tests, t => t.Verdict == CodeVerdict.Accepted);
    }

    [Fact]
    public async Task The_harness_cannot_be_read_or_written_through_proc()
    {
        // From inside a test call, the program tries to reach the harness process (its parent) and reports
        // what it reached; the test expects nothing, so only a sealed harness lets this program pass.
        var program = """
            import os
            def gcd(a, b):
                parent = os.getppid()
                reached = []
                for name, mode in [("fd/1", os.O_WRONLY), ("mem", os.O_RDONLY), ("environ", os.O_RDONLY)]:
                    try:
                        os.close(os.open("/proc/%d/%s" % (parent, name), mode))
                        reached.append(name)
                    except OSError:
                        pass
                return reached
            """;
        var result = await Scorer.ScoreAsync(
            0, SandboxFixture.Completion(program), """{"test_code": "assert gcd(1, 1) == []\n"}""");
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, result);
    }

    [Fact]
    public async Task Another_runs_files_are_invisible()
    {
        var secret = $"secret-{Guid.NewGuid():N}";
        var writer = fixture.Sandbox.RunPythonAsync(["-c", $"""
            import time
            with open('secret.txt', 'w') as f:
                f.write('{secret}')
            time.sleep(1.2)
            print(open('secret.txt').read())
            """], ReadOnlyMemory<byte>.Empty);
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        var reader = await fixture.Sandbox.RunPythonAsync(["-c", """
            import os
            found = []
            for root in ['/tmp', '/proc', '/dev', '/']:
                for dirpath, dirnames, filenames in os.walk(root):
                    if dirpath.startswith(('/proc/sys', '/usr', '/proc/self/', '/proc/thread-self/')):
                        dirnames[:] = []
                        continue
                    for name in filenames:
                        if 'secret' in name:
                            found.append(os.path.join(dirpath, name))
            for pid in [p for p in os.listdir('/proc') if p.isdigit()]:
                try:
                    found.extend(os.listdir('/proc/%s/root/tmp' % pid))
                except OSError:
                    pass
            print(found)
            """], ReadOnlyMemory<byte>.Empty);
        var written = await writer;
        Assert.Equal(secret, written.StdoutText.Trim());
        Assert.Equal(0, reader.ExitCode);
        Assert.Equal("[]", reader.StdoutText.Trim());
        Assert.DoesNotContain(secret, reader.StdoutText);
    }
}

/// <summary>Every hostile program again with each completion in a sandbox of its own: the stdin tests under a batch's
/// runner as pid 1, the test code under a harness whose program is an interpreter of its own.</summary>
[Collection(SandboxCollection.Name)]
public sealed class HostileProgramBatchTests(SandboxFixture fixture) : HostileProgramTests(fixture)
{
    protected override CodeScorer Scorer { get; } = new(fixture.Sandbox, StdinTestsPerSandbox.All);
}
