using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Sandboxing;

/// <summary>The outcome of probing the sandbox: whether code tasks can be served, and if not, why.</summary>
public sealed record SandboxProbeResult(bool Available, string Reason, string Isolation);

/// <summary>Runs one tiny program in the sandbox and checks, from inside, that the isolation really holds:
/// an unprivileged uid, a new pid namespace, no network interface but loopback, a read-only /usr, a writable
/// private working directory, the configured address-space limit and, where configured, the seccomp filter (mode 2
/// in /proc/self/status). Where stdin tests run in batches (<see cref="StdinTestsPerSandbox.All"/>), a second program
/// checks that a batch's runner starts as pid 1 and can read the run's OOM-kill count. Any failure is reported with
/// its reason.</summary>
public static class SandboxProbe
{
    const string Marker = "pipeline-sandbox-probe ";

    const string Program = """
        import json, os, resource, socket
        report = {"uid": os.getuid(), "pid": os.getpid(), "cwd": os.getcwd(),
                  "interfaces": [name for _, name in socket.if_nameindex()],
                  "as": resource.getrlimit(resource.RLIMIT_AS)[0],
                  "seccomp": [l.split()[1] for l in open("/proc/self/status") if l.startswith("Seccomp:")][0]}
        try:
            open("/usr/pipeline-probe", "w").close()
            report["usr_writable"] = True
        except OSError:
            report["usr_writable"] = False
        with open("probe.txt", "w") as f:
            f.write("ok")
        report["tmp_writable"] = open("probe.txt").read() == "ok"
        print("pipeline-sandbox-probe " + json.dumps(report))
        """;

    const string BatchProgram = """
        import os, sys
        path = sys.stdin.read()
        if path:
            open(path).read()
        print("pipeline-sandbox-probe %d" % os.getpid())
        """;

    /// <summary>Probes a sandbox built from <paramref name="options"/> without keeping it.</summary>
    public static async Task<SandboxProbeResult> RunAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        using var sandbox = new Sandbox(options);
        return await CheckAsync(sandbox, cancellationToken);
    }

    internal static async Task<SandboxProbeResult> CheckAsync(Sandbox sandbox, CancellationToken cancellationToken)
    {
        SandboxProbeResult Fail(string why) => new(false, why, sandbox.Isolation);
        if (sandbox.ToolsError is { } missing)
        {
            return Fail(missing);
        }
        var options = sandbox.Options;
        var run = await sandbox.RunPythonAsync(["-c", Program], ReadOnlyMemory<byte>.Empty, cancellationToken);
        if (run.Termination == SandboxTermination.StartFailed)
        {
            return Fail(run.StartError ?? "the sandbox did not start");
        }
        var line = run.StdoutText.Split('\n').FirstOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal));
        if (run.Termination != SandboxTermination.Exited || run.ExitCode != 0 || line is null)
        {
            var stderr = run.StderrText.Trim();
            return Fail($"the probe program did not run in the sandbox ({run.Termination}, exit code {run.ExitCode})" +
                        (stderr.Length > 0 ? $": {stderr[..Math.Min(stderr.Length, 400)]}" : ""));
        }
        ProbeReport report;
        try
        {
            report = JsonSerializer.Deserialize<ProbeReport>(line[Marker.Length..])
                     ?? throw new JsonException("empty report");
        }
        catch (JsonException e)
        {
            return Fail($"the probe's report is unreadable: {e.Message}");
        }
        var why = Environment.IsPrivilegedProcess && report.Uid != options.Uid
                ? $"the program ran as uid {report.Uid}, not the configured unprivileged uid {options.Uid}"
            : report.Uid == 0 ? "the program ran as uid 0"
            : report.Pid > 3 ? $"no new pid namespace (the program is pid {report.Pid})"
            : report.Interfaces.Any(i => i != "lo") ? $"network interfaces are visible: {string.Join(", ", report.Interfaces)}"
            : report.UsrWritable ? "/usr is writable inside the sandbox"
            : !report.TmpWritable || report.Cwd != "/tmp" ? "the private working directory /tmp is not usable"
            : report.AddressSpace != (long)options.MemoryMb * 1024 * 1024 ? $"the address-space limit is {report.AddressSpace}, not {options.MemoryMb} MiB"
            : sandbox.Seccomp && report.Seccomp != "2" ? $"the seccomp filter is not in force (Seccomp: {report.Seccomp})"
            : options.StdinTestsPerSandbox != StdinTestsPerSandbox.One ? await CheckBatchAsync(sandbox, cancellationToken)
            : null;
        return why is null ? new SandboxProbeResult(true, "ok", sandbox.Isolation) : Fail(why);
    }

    static async Task<string?> CheckBatchAsync(Sandbox sandbox, CancellationToken cancellationToken)
    {
        var stdin = System.Text.Encoding.UTF8.GetBytes(sandbox.OomControlPath ?? "");
        var run = await sandbox.RunBatchAsync(["-c", BatchProgram], stdin, programs: 1, cancellationToken);
        if (run.Termination == SandboxTermination.Exited && run.ExitCode == 0 && run.StdoutText.Trim() == $"{Marker}1")
        {
            return null;
        }
        var stderr = run.StderrText.Trim();
        return $"a batch runner did not start as the sandbox's pid 1 with its OOM-kill count readable ({run.Termination}, " +
               $"exit code {run.ExitCode}, output '{run.StdoutText.Trim()}')" +
               (stderr.Length > 0 ? $": {stderr[..Math.Min(stderr.Length, 400)]}" : "");
    }

    sealed record ProbeReport(
        [property: JsonPropertyName("uid")] int Uid,
        [property: JsonPropertyName("pid")] int Pid,
        [property: JsonPropertyName("cwd")] string Cwd,
        [property: JsonPropertyName("interfaces")] string[] Interfaces,
        [property: JsonPropertyName("as")] long AddressSpace,
        [property: JsonPropertyName("usr_writable")] bool UsrWritable,
        [property: JsonPropertyName("tmp_writable")] bool TmpWritable,
        [property: JsonPropertyName("seccomp")] string Seccomp);
}
