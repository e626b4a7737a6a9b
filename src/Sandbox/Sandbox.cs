using System.Buffers;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace Pipeline.Sandboxing;

/// <summary>Runs untrusted Python programs, each in its own throw-away sandbox (or a batch of them one after another
/// in one, under a trusted runner: <see cref="RunBatchAsync"/>): new user, pid, network, ipc and uts
/// namespaces (bubblewrap), only /usr visible and read-only, a private size-limited tmpfs as the working directory
/// and only writable place, an unprivileged uid with no capabilities, rlimits on CPU, address space, processes,
/// open files and file size, per-run cgroup v1 memory and pids groups where writable, a seccomp filter
/// (<see cref="SandboxSeccomp"/>), a host-side wall-clock kill
/// and capped output capture. At most <see cref="SandboxOptions.MaxParallelRuns"/> runs exist at once.
/// Obtain one with <see cref="CreateAsync"/>, which probes the sandbox first and refuses to return one that does
/// not hold; nothing here ever runs a program outside the sandbox.</summary>
public sealed class Sandbox : IDisposable
{
    const int NotKilled = -1;
    const int Cancelled = -2;

    readonly SandboxOptions _options;
    readonly bool _dropPrivileges;
    readonly SandboxTools? _tools;
    readonly string _toolsError;
    readonly SandboxCgroups? _cgroups;
    readonly SemaphoreSlim _gate;
    readonly SandboxSpawner _spawner = new();
    readonly string? _seccompFilter;
    readonly ConcurrentDictionary<string, ConcurrentStack<SandboxSession>> _idle = new();
    int _disposed;

    internal Sandbox(SandboxOptions options)
    {
        options.Validate();
        _options = options.Clone();
        _dropPrivileges = Environment.IsPrivilegedProcess;
        _tools = SandboxTools.Resolve(_options, _dropPrivileges, out _toolsError);
        string cgroupNote;
        if (_options.UseCgroups)
        {
            var memoryBytes = (long)(_options.MemoryMb + _options.TmpfsMb) * 1024 * 1024;
            // Idle sessions (RunInSessionAsync) keep their slots while other runs use theirs: room for one idle session
            // per run of each of two kinds (the stdin runner's and the assert harness's) before one must give way.
            _cgroups = SandboxCgroups.TryCreate(3 * _options.MaxParallelRuns, memoryBytes, _options.MaxProcesses, out cgroupNote);
        }
        else
        {
            cgroupNote = "cgroups disabled by configuration";
        }
        _gate = new SemaphoreSlim(_options.MaxParallelRuns, _options.MaxParallelRuns);
        if (_options.UseSeccomp && SandboxSeccomp.Program() is { } filter)
        {
            RemoveStaleFilters();
            _seccompFilter = Path.Combine(Path.GetTempPath(), $"{FilterPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}.bpf");
            File.WriteAllBytes(_seccompFilter, filter);
        }
        Isolation =
            $"bubblewrap (user, pid, net, ipc, uts namespaces; /usr read-only; {_options.TmpfsMb} MiB tmpfs), " +
            (_dropPrivileges ? $"uid {_options.Uid}, " : "the verifier's own unprivileged uid, ") +
            $"rlimits (cpu {_options.CpuSeconds} s, as {_options.MemoryMb} MiB, nofile {_options.MaxOpenFiles}), " +
            (_cgroups is not null
                ? $"cgroup v1 memory and pids per run (pids {_options.MaxProcesses})"
                : $"no per-run cgroups: {cgroupNote}; nproc {_options.MaxProcesses} per uid") +
            (_seccompFilter is not null
                ? $", seccomp ({SandboxSeccomp.Denied.Count} system calls refused)"
                : _options.UseSeccomp ? ", no seccomp filter on this architecture" : ", seccomp disabled by configuration") +
            $", wall {_options.WallSeconds} s, output {_options.MaxOutputBytes} bytes";
    }

    const string FilterPrefix = "pipeline-seccomp-";

    /// <summary>Removes the filter files of verifier processes that no longer exist: one SIGKILLed cannot delete its own
    /// (found by <c>pipeline chaos</c>), so the next sandbox on the host does, as <see cref="SandboxCgroups"/> does with
    /// their cgroups.</summary>
    static void RemoveStaleFilters()
    {
        foreach (var file in Directory.EnumerateFiles(Path.GetTempPath(), $"{FilterPrefix}*.bpf"))
        {
            var parts = Path.GetFileNameWithoutExtension(file)[FilterPrefix.Length..].Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var pid) || Directory.Exists($"/proc/{pid}")) continue;
            try { File.Delete(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // another user's, or just removed
        }
    }

    /// <summary>A copy of the settings this sandbox runs with.</summary>
    public SandboxOptions Options => _options.Clone();

    /// <summary>One line saying how runs are contained, for logs and benchmark reports.</summary>
    public string Isolation { get; }

    internal string? ToolsError => _tools is null ? _toolsError : null;

    /// <summary>Whether programs run under the seccomp filter.</summary>
    internal bool Seccomp => _seccompFilter is not null;

    /// <summary>Validates the settings, sets up the per-run cgroups and runs <see cref="SandboxProbe"/>; throws
    /// <see cref="SandboxUnavailableException"/> with the probe's reason when the sandbox cannot be established.</summary>
    public static async Task<Sandbox> CreateAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        var sandbox = new Sandbox(options);
        try
        {
            var probe = await SandboxProbe.CheckAsync(sandbox, cancellationToken);
            if (!probe.Available)
            {
                throw new SandboxUnavailableException(probe.Reason);
            }
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    /// <summary>Where a batch's runner reads its run's memory.oom_control (the <c>oom_kill</c> line counts the
    /// cgroup's OOM kills), or null where runs have no memory cgroup.</summary>
    public string? OomControlPath => _cgroups is null ? null : SandboxCommand.OomControlInside;

    /// <summary>Besides each program's output, what one report line of a batch's runner may take.</summary>
    const int ReportLineBytes = 16 * 1024;

    /// <summary>Runs <c>python3 -I -S -B arguments…</c> in a fresh sandbox with <paramref name="stdin"/> as its input,
    /// waiting for a free slot first. A run that breaks a limit is killed and reported, never thrown; only
    /// cancellation throws.</summary>
    public Task<SandboxResult> RunPythonAsync(
        IReadOnlyList<string> arguments, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken = default) =>
        RunInSlotAsync(
            new Launch(arguments, RunnerAsPidOne: false, TimeSpan.FromSeconds(_options.WallSeconds), _options.MaxOutputBytes),
            stdin, cancellationToken);

    /// <summary>Runs a trusted runner, <c>python3 -I -S -B runnerArguments…</c>, directly as the sandbox's pid 1 (no
    /// shell between), which runs <paramref name="programs"/> programs one after another in this one sandbox. Each
    /// program is a process of its own under the per-process rlimits (CPU seconds, address space, file size, open
    /// files) exactly as a single run's program is; the runner enforces each one's wall-clock and output limits
    /// itself, reaps every orphan (it is pid 1), clears what one program leaves before the next, and reports on its
    /// stdout. The host's limits cover the whole batch: <see cref="SandboxOptions.WallSeconds"/> per program plus a
    /// margin for the runner's own work, and on stdout room for every program's output base64-encoded on a report
    /// line of its own. Where runs have memory cgroups, the run's OOM kills can be read at
    /// <see cref="OomControlPath"/>.</summary>
    public Task<SandboxResult> RunBatchAsync(
        IReadOnlyList<string> runnerArguments, ReadOnlyMemory<byte> stdin, int programs,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(programs, 1);
        return RunInSlotAsync(
            new Launch(runnerArguments, RunnerAsPidOne: true, BatchWall(programs), BatchStdoutLimit(programs)),
            stdin, cancellationToken);
    }

    /// <summary>A batch's wall clock: <see cref="SandboxOptions.WallSeconds"/> per program, plus the runner's own start
    /// and its clean-up between programs (killing, reaping, emptying /tmp).</summary>
    TimeSpan BatchWall(int programs) => TimeSpan.FromSeconds(_options.WallSeconds * programs + 1 + 0.1 * programs);

    /// <summary>A batch's stdout: every program's output base64-encoded on a report line of its own.</summary>
    int BatchStdoutLimit(int programs)
    {
        var reportLine = (_options.MaxOutputBytes + 2L) / 3 * 4 + ReportLineBytes;
        return (int)Math.Min(Array.MaxLength, programs * reportLine + ReportLineBytes);
    }

    /// <summary>Runs one request (<paramref name="frames"/>, as the runner reads them) through a long-lived session of a
    /// trusted runner (<see cref="SandboxSession"/>:
    /// <c>python3 -I -S -B runnerArguments…</c> as the sandbox's pid 1, which forks a judge per request) instead of a
    /// sandbox of its own: an idle session started with the same arguments is reused, or one is started. The limits are
    /// a batch's (<see cref="RunBatchAsync"/>) for <paramref name="programs"/> programs; a session that breaks one,
    /// dies or breaks its protocol is killed and never reused, nor is one whose judge did not end normally (a program
    /// killed it, say) or whose pid 1 has used half its CPU seconds
    /// (the rlimit covers the session's whole life). At most <see cref="SandboxOptions.MaxParallelRuns"/> runs and
    /// sessions are busy at once; idle sessions wait for the next request until the sandbox is disposed.</summary>
    public async Task<SandboxSessionResult> RunInSessionAsync(
        IReadOnlyList<string> runnerArguments, IReadOnlyList<ReadOnlyMemory<byte>> frames, int programs,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(programs, 1);
        var key = string.Join('\0', runnerArguments);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var idle = _idle.GetOrAdd(key, _ => new ConcurrentStack<SandboxSession>());
            SandboxSession? session = null;
            while (session is null && idle.TryPop(out var candidate))
            {
                if (candidate.Alive)
                {
                    session = candidate;
                }
                else
                {
                    await RetireAsync(candidate);
                }
            }
            if (session is null)
            {
                var (started, why) = await StartSessionAsync(runnerArguments, cancellationToken);
                if (started is null)
                {
                    return new SandboxSessionResult(Failed(why, TimeSpan.Zero), null, 0);
                }
                session = started;
            }
            SandboxSessionResult result;
            try
            {
                result = await session.ExchangeAsync(
                    frames, BatchWall(programs), BatchStdoutLimit(programs), _options.MaxOutputBytes, cancellationToken);
            }
            catch
            {
                await RetireAsync(session);
                throw;
            }
            // Reused only after a judge that ended normally: one that was killed or broke may have left its request
            // half read, and the next judge would read on from there.
            if (session.Alive && result.Run.ExitCode == 0 && session.PidOneCpuSeconds < _options.CpuSeconds / 2.0
                && Volatile.Read(ref _disposed) == 0)
            {
                idle.Push(session);
            }
            else
            {
                await RetireAsync(session);
            }
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task<(SandboxSession? Session, string Why)> StartSessionAsync(
        IReadOnlyList<string> runnerArguments, CancellationToken cancellationToken)
    {
        if (_tools is null)
        {
            return (null, _toolsError);
        }
        var slot = await RentSlotForSessionAsync();
        var argv = SandboxCommand.Build(
            _options, _tools, slot, _dropPrivileges, _seccompFilter, runnerArguments, runnerAsPidOne: true);
        var process = new Process { StartInfo = StartInfo(argv) };
        try
        {
            var (session, why) = await SandboxSession.StartAsync(
                process, _spawner.StartAsync, slot, OomControlPath, TimeSpan.FromSeconds(10 + _options.WallSeconds),
                cancellationToken);
            if (session is null)
            {
                await ReturnSlotAsync(slot);
            }
            return (session, why);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            process.Dispose();
            await ReturnSlotAsync(slot);
            return (null, $"cannot start the sandbox: {e.Message}");
        }
        catch
        {
            process.Dispose();
            await ReturnSlotAsync(slot);
            throw;
        }
    }

    /// <summary>A free cgroup slot (null without cgroups), taken from an idle session of another kind when none is
    /// free: runs in flight hold at most <see cref="SandboxOptions.MaxParallelRuns"/>, so an idle session always has one.</summary>
    async Task<SandboxCgroupSlot?> RentSlotForSessionAsync()
    {
        if (_cgroups is null)
        {
            return null;
        }
        SandboxCgroupSlot? slot;
        while (!_cgroups.TryRent(out slot))
        {
            var evicted = _idle.Values.Select(stack => stack.TryPop(out var session) ? session : null).FirstOrDefault(s => s is not null)
                ?? throw new InvalidOperationException("No free sandbox cgroup slot and no idle session to take one from.");
            await RetireAsync(evicted);
        }
        return slot;
    }

    async Task RetireAsync(SandboxSession session)
    {
        await session.DisposeAsync();
        await ReturnSlotAsync(session.Slot);
    }

    async Task ReturnSlotAsync(SandboxCgroupSlot? slot)
    {
        if (slot is not null)
        {
            await slot.SweepAsync();
            _cgroups!.Return(slot);
        }
    }

    /// <summary>What to start and the host-side limits of the whole run.</summary>
    sealed record Launch(IReadOnlyList<string> Arguments, bool RunnerAsPidOne, TimeSpan Wall, int StdoutLimit);

    async Task<SandboxResult> RunInSlotAsync(Launch launch, ReadOnlyMemory<byte> stdin, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _gate.WaitAsync(cancellationToken);
        var slot = _cgroups?.Rent();
        try
        {
            return await RunAsync(launch, stdin, slot, cancellationToken);
        }
        finally
        {
            await ReturnSlotAsync(slot);
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            foreach (var stack in _idle.Values)
            {
                while (stack.TryPop(out var idle))
                {
                    idle.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
            _spawner.Dispose();
            _cgroups?.Dispose();
            if (_seccompFilter is not null)
            {
                File.Delete(_seccompFilter);
            }
            _gate.Dispose();
        }
    }

    async Task<SandboxResult> RunAsync(
        Launch launch, ReadOnlyMemory<byte> stdin, SandboxCgroupSlot? slot, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (_tools is null)
        {
            return Failed(_toolsError, clock.Elapsed);
        }
        var argv = SandboxCommand.Build(
            _options, _tools, slot, _dropPrivileges, _seccompFilter, launch.Arguments, launch.RunnerAsPidOne);
        using var process = new Process { StartInfo = StartInfo(argv) };
        try
        {
            await _spawner.StartAsync(process);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return Failed($"cannot start the sandbox: {e.Message}", clock.Elapsed);
        }

        var exited = process.WaitForExitAsync(CancellationToken.None);
        var killedFor = NotKilled;
        Task? escalation = null;
        void KillFor(int reason)
        {
            if (Interlocked.CompareExchange(ref killedFor, reason, NotKilled) == NotKilled)
            {
                escalation = KillAsync(process, exited);
            }
        }

        var stdoutTask = CaptureAsync(process.StandardOutput.BaseStream, launch.StdoutLimit, () => KillFor((int)SandboxTermination.OutputLimit));
        var stderrTask = CaptureAsync(process.StandardError.BaseStream, _options.MaxOutputBytes, () => KillFor((int)SandboxTermination.OutputLimit));
        var stdinTask = FeedAsync(process.StandardInput, stdin);
        using (var wall = new CancellationTokenSource(launch.Wall))
        using (wall.Token.Register(() => KillFor((int)SandboxTermination.WallTimeout)))
        using (cancellationToken.Register(() => KillFor(Cancelled)))
        {
            await exited;
        }
        if (escalation is not null)
        {
            await escalation;
        }

        // Everything that could hold the pipes died with the pid namespace; the guard only bounds a broken host.
        var drained = Task.WhenAll(stdoutTask, stderrTask, stdinTask);
        if (await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)) != drained)
        {
            KillFor((int)SandboxTermination.WallTimeout);
        }
        var memoryLimitHit = slot?.OomKilledSinceSweep() ?? false;
        if (killedFor == Cancelled)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        return new SandboxResult
        {
            Termination = killedFor == NotKilled ? SandboxTermination.Exited : (SandboxTermination)killedFor,
            ExitCode = process.ExitCode,
            Stdout = stdoutTask.IsCompletedSuccessfully ? stdoutTask.Result : [],
            Stderr = stderrTask.IsCompletedSuccessfully ? stderrTask.Result : [],
            MemoryLimitHit = memoryLimitHit,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>How a sandbox's first process starts: all three standard streams piped, and an environment of PATH
    /// and LANG alone.</summary>
    static ProcessStartInfo StartInfo(List<string> argv)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";
        start.Environment["LANG"] = "C.UTF-8";
        return start;
    }

    static SandboxResult Failed(string why, TimeSpan elapsed) => new()
    {
        Termination = SandboxTermination.StartFailed,
        ExitCode = -1,
        Stdout = [],
        Stderr = [],
        MemoryLimitHit = false,
        Elapsed = elapsed,
        StartError = why,
    };

    /// <summary>Kills the sandbox's pid 1 (the kernel then kills everything in its pid namespace, and bwrap, still
    /// alive, reaps it and exits); kills bwrap itself only if it has not exited half a second later, e.g. when the
    /// namespace did not exist yet. Killing bwrap first would leave its child a zombie of the host's init.</summary>
    internal static async Task KillAsync(Process bubblewrap, Task exited)
    {
        if (exited.IsCompleted)
        {
            return;
        }
        try
        {
            var children = await File.ReadAllTextAsync($"/proc/{bubblewrap.Id}/task/{bubblewrap.Id}/children");
            foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                SandboxCgroups.KillProcess(int.Parse(child));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // bwrap is already gone, or has no child yet: the fallback below covers both
        }
        if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMilliseconds(500))) != exited)
        {
            TryKill(bubblewrap);
        }
    }

    static void TryKill(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // already gone
        }
    }

    /// <summary>Reads up to <paramref name="limit"/> bytes; one byte more calls <paramref name="overflow"/> and stops.</summary>
    static async Task<byte[]> CaptureAsync(Stream stream, int limit, Action overflow)
    {
        var kept = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(chunk.AsMemory(0, 64 * 1024));
                if (n == 0)
                {
                    break;
                }
                var room = limit - (int)kept.Length;
                if (n > room)
                {
                    kept.Write(chunk, 0, room);
                    overflow();
                    break;
                }
                kept.Write(chunk, 0, n);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the process and its pipes are gone
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return kept.ToArray();
    }

    static async Task FeedAsync(StreamWriter stdin, ReadOnlyMemory<byte> data)
    {
        try
        {
            if (!data.IsEmpty)
            {
                await stdin.BaseStream.WriteAsync(data);
                await stdin.BaseStream.FlushAsync();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the program closed its input or ended without reading it: its choice
        }
        try
        {
            stdin.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // same
        }
    }
}
