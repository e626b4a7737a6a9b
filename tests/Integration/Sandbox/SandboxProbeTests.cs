using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using CodeSandbox = Pipeline.Sandboxing.Sandbox;

namespace Pipeline.Tests.Integration.Sandbox;

[Collection(SandboxCollection.Name)]
public sealed class SandboxProbeTests(SandboxFixture fixture)
{
    [Fact]
    public async Task The_probe_passes_here()
    {
        var probe = await SandboxProbe.RunAsync(SandboxFixture.TestOptions());
        Assert.True(probe.Available, probe.Reason);
        Assert.Contains("bubblewrap", probe.Isolation);
    }

    [Fact]
    public async Task Programs_run_as_the_unprivileged_uid_without_capabilities_or_host_fds()
    {
        var run = await fixture.Sandbox.RunPythonAsync(["-c", """
            import os
            status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
            print(os.getuid(), os.getgid(), os.getgroups(), status["CapEff"].strip(), status["NoNewPrivs"].strip())
            print(sorted(os.listdir("/proc/self/fd")))
            """], ReadOnlyMemory<byte>.Empty);
        // Nothing of the host's leaks in: only stdin, stdout, stderr (and the directory listing itself).
        Assert.Equal("65534 65534 [] 0000000000000000 1\n['0', '1', '2', '3']", run.StdoutText.Trim());
    }

    [Fact]
    public async Task A_run_outlives_the_thread_that_started_it()
    {
        // bwrap's parent-death signal follows the forking thread: a run must not die when its caller's thread ends.
        // The starter thread stays until the sandbox is surely up (bwrap arms the signal only then), then ends.
        Task<SandboxResult>? run = null;
        var starter = new Thread(() =>
        {
            run = fixture.Sandbox.RunPythonAsync(
                ["-c", "import time\ntime.sleep(1.0)\nprint('survived')"], ReadOnlyMemory<byte>.Empty);
            Thread.Sleep(400);
        });
        starter.Start();
        starter.Join();
        var result = await run!;
        Assert.Equal(SandboxTermination.Exited, result.Termination);
        Assert.Equal("survived", result.StdoutText.Trim());
    }

    [Fact]
    public async Task A_missing_bubblewrap_is_refused_with_a_reason()
    {
        var options = SandboxFixture.TestOptions();
        options.BubblewrapPath = "/nonexistent/bwrap";

        var probe = await SandboxProbe.RunAsync(options);
        Assert.False(probe.Available);
        Assert.Contains("bubblewrap not found", probe.Reason);

        var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() => CodeSandbox.CreateAsync(options));
        Assert.Contains("code tasks are refused", refused.Message);
    }

    [Fact]
    public async Task A_missing_interpreter_is_refused_with_a_reason()
    {
        var options = SandboxFixture.TestOptions();
        options.PythonPath = "/usr/bin/python3-does-not-exist";

        var probe = await SandboxProbe.RunAsync(options);
        Assert.False(probe.Available);
        Assert.Contains("python3-does-not-exist", probe.Reason);
    }

    [Fact]
    public async Task Invalid_settings_are_rejected_by_name()
    {
        var options = SandboxFixture.TestOptions();
        options.Uid = 0;
        var error = await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(
            () => CodeSandbox.CreateAsync(options));
        Assert.Contains("Sandbox:Uid", error.Message);
    }

    [Fact]
    public async Task The_benchmark_measures_both_kinds_of_start()
    {
        var result = await SandboxBenchmark.RunAsync(fixture.Sandbox, runs: 20);
        Assert.Equal(20, result.Runs);
        Assert.Equal(2, result.Parallelism);
        Assert.True(result.SandboxedRunsPerSecond > 0);
        Assert.True(result.BareRunsPerSecond > 0);
        Assert.Contains("-I -S -B", result.PythonCommand);
    }
}
