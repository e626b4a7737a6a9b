using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Pipeline.Sandboxing;

/// <summary>How one exchange with a <see cref="SandboxSession"/> ended: the judge's report lines and, from the
/// session's pid 1, how the judge ended, whether the memory cgroup OOM-killed anything meanwhile and pid 1's own CPU
/// seconds so far. <see cref="Run"/> has the shape of a batch run's result: <see cref="SandboxTermination.Exited"/>
/// with exit code 0 when the judge ended normally, 128 + n when signal n killed it.</summary>
public sealed record SandboxSessionResult(SandboxResult Run, int? JudgeSignal, double PidOneCpuSeconds);

/// <summary>A sandbox that outlives one completion: the same namespaces, mounts, rlimits, cgroup slot and seccomp
/// filter as a batch run (<see cref="Sandbox.RunBatchAsync"/>), with the stdin runner started as
/// <c>stdin_runner.py session</c>. Its pid 1 never reads a completion; for each request it forks a judge that reads
/// one, runs its programs and ends, then kills whatever is left and reports under the session's nonce. Requests go
/// one at a time, in frames each preceded by its length on a line of its own. Any failure — the session exiting, a line that is
/// not the protocol, the host's wall clock or output limit — ends the session; the caller starts another.</summary>
sealed class SandboxSession : IAsyncDisposable
{
    const int StderrKept = 16 * 1024;

    readonly Process _process;
    readonly Stream _stdin;
    readonly Stream _stdout;
    readonly Task _exited;
    readonly Task _stderrDrain;
    readonly StringBuilder _stderr = new();
    readonly string _nonce = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
    readonly byte[] _buffer = new byte[64 * 1024];
    int _buffered;
    int _start;
    int _dead;
    long _stderrBytes;
    long _stderrLimitAt = long.MaxValue;
    CancellationTokenSource? _overflow;

    SandboxSession(Process process, SandboxCgroupSlot? slot)
    {
        _process = process;
        Slot = slot;
        _stdin = process.StandardInput.BaseStream;
        _stdout = process.StandardOutput.BaseStream;
        _exited = process.WaitForExitAsync(CancellationToken.None);
        _stderrDrain = DrainStderrAsync(process.StandardError.BaseStream);
    }

    /// <summary>The cgroup slot the session holds for its whole life, or null without cgroups.</summary>
    public SandboxCgroupSlot? Slot { get; }

    /// <summary>Pid 1's CPU seconds at the last exchange; its CPU rlimit is the whole session's.</summary>
    public double PidOneCpuSeconds { get; private set; }

    public bool Alive => Volatile.Read(ref _dead) == 0 && !_exited.IsCompleted;

    /// <summary>Starts the session's process (through <paramref name="start"/>, which must start it on the spawner
    /// thread) and waits for pid 1's ready line; returns null with the reason when it does not come.</summary>
    public static async Task<(SandboxSession? Session, string Why)> StartAsync(
        Process process, Func<Process, Task> start, SandboxCgroupSlot? slot, string? oomControlInside,
        TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        await start(process);
        var session = new SandboxSession(process, slot);
        try
        {
            var header = Encoding.ASCII.GetBytes($"{session._nonce}\n{oomControlInside ?? "-"}\n");
            await session._stdin.WriteAsync(header, cancellationToken);
            await session._stdin.FlushAsync(cancellationToken);
            using var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ready.CancelAfter(readyWithin);
            var line = await session.ReadLineAsync(4096, ready.Token);
            if (line is not null && session.Report(line) is { } report && report.TryGetProperty("session", out _))
            {
                return (session, "");
            }
            var why = line is null ? "the session ended before it was ready" : $"the session did not start: {Clip(line)}";
            await session.DisposeAsync();
            return (null, why + session.StderrSuffix());
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            await session.DisposeAsync();
            cancellationToken.ThrowIfCancellationRequested();
            return (null, "the session did not become ready in time" + session.StderrSuffix());
        }
    }

    /// <summary>Sends one request — its frames, each framed by its length on a line of its own — and collects the
    /// judge's lines until pid 1's report. Within <paramref name="wall"/>, <paramref name="stdoutLimit"/> bytes of
    /// report and <paramref name="stderrLimit"/> bytes on the session's stderr, or the session is killed and the result
    /// says which limit; a session that dies or breaks the protocol yields a result with whatever came before (the
    /// caller's reading of the judge's lines decides the verdicts) and is not <see cref="Alive"/> afterwards.</summary>
    public async Task<SandboxSessionResult> ExchangeAsync(
        IReadOnlyList<ReadOnlyMemory<byte>> frames, TimeSpan wall, int stdoutLimit, int stderrLimit,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(!Alive, this);
        var clock = Stopwatch.StartNew();
        var oomBefore = Slot?.OomKills() ?? 0;
        var stdout = new MemoryStream();
        var termination = SandboxTermination.Exited;
        int? exitCode = null;
        int? judgeSignal = null;
        // What a program writes to the session's stderr (the assert harness's program process has it as stdout and
        // stderr) counts against the output limit per exchange, as a sandbox of its own counts it per run.
        using var overflow = new CancellationTokenSource();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, overflow.Token);
        limit.CancelAfter(wall);
        Volatile.Write(ref _overflow, overflow);
        Volatile.Write(ref _stderrLimitAt, Interlocked.Read(ref _stderrBytes) + stderrLimit);
        try
        {
            foreach (var frame in frames)
            {
                await _stdin.WriteAsync(Encoding.ASCII.GetBytes($"{frame.Length}\n"), limit.Token);
                await _stdin.WriteAsync(frame, limit.Token);
            }
            await _stdin.FlushAsync(limit.Token);
            while (exitCode is null)
            {
                var line = await ReadLineAsync(stdoutLimit - (int)stdout.Length, limit.Token);
                if (line is null)
                {
                    break; // the session ended
                }
                if (line.StartsWith(_nonce + " ", StringComparison.Ordinal))
                {
                    var report = Report(line);
                    if (report is { } done && done.TryGetProperty("done", out var judged))
                    {
                        judgeSignal = done.GetProperty("signal").ValueKind == JsonValueKind.Number ? done.GetProperty("signal").GetInt32() : null;
                        exitCode = judgeSignal is { } n ? 128 + n : judged.ValueKind == JsonValueKind.Number ? judged.GetInt32() : -1;
                        PidOneCpuSeconds = done.GetProperty("cpu").GetDouble();
                        continue;
                    }
                    break; // fatal, or a line that is not the protocol
                }
                stdout.Write(Encoding.UTF8.GetBytes(line));
                stdout.WriteByte((byte)'\n');
            }
        }
        catch (LineTooLongException)
        {
            termination = SandboxTermination.OutputLimit;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            termination = overflow.IsCancellationRequested ? SandboxTermination.OutputLimit : SandboxTermination.WallTimeout;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or JsonException or InvalidOperationException or FormatException)
        {
            // the session died or broke the protocol: handled below as an ending without pid 1's report
        }
        Volatile.Write(ref _stderrLimitAt, long.MaxValue);
        Volatile.Write(ref _overflow, null);
        if (exitCode is null || cancellationToken.IsCancellationRequested)
        {
            await KillAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
        var run = new SandboxResult
        {
            Termination = termination,
            ExitCode = exitCode ?? (_exited.IsCompleted ? _process.ExitCode : -1),
            Stdout = stdout.ToArray(),
            // The session's stderr is its tools' and pid 1's, not a program's: shown only when the session broke.
            Stderr = exitCode is null ? Encoding.UTF8.GetBytes(StderrSnapshot()) : [],
            MemoryLimitHit = Slot is not null && Slot.OomKills() > oomBefore,
            Elapsed = clock.Elapsed,
        };
        return new SandboxSessionResult(run, judgeSignal, PidOneCpuSeconds);
    }

    /// <summary>Closes the session's input (pid 1 ends after its current judge) and kills it if it has not ended a
    /// second later.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _dead, 1) == 0)
        {
            try
            {
                _stdin.Dispose();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // already gone
            }
            if (await Task.WhenAny(_exited, Task.Delay(TimeSpan.FromSeconds(1))) != _exited)
            {
                await Sandbox.KillAsync(_process, _exited);
            }
        }
        await Task.WhenAny(_stderrDrain, Task.Delay(TimeSpan.FromSeconds(1)));
        _process.Dispose();
    }

    async Task KillAsync()
    {
        Volatile.Write(ref _dead, 1);
        await Sandbox.KillAsync(_process, _exited);
    }

    JsonElement? Report(string line)
    {
        var prefix = _nonce + " ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        using var doc = JsonDocument.Parse(line[prefix.Length..]);
        return doc.RootElement.Clone();
    }

    /// <summary>The next line of stdout without its newline, or null at the end; a line longer than
    /// <paramref name="limit"/> bytes throws <see cref="LineTooLongException"/>.</summary>
    async Task<string?> ReadLineAsync(int limit, CancellationToken cancellationToken)
    {
        var line = new MemoryStream();
        while (true)
        {
            if (_start < _buffered)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _buffered - _start);
                var end = newline < 0 ? _buffered : newline;
                line.Write(_buffer, _start, end - _start);
                _start = newline < 0 ? _buffered : newline + 1;
                if (line.Length > limit)
                {
                    throw new LineTooLongException();
                }
                if (newline >= 0)
                {
                    return Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length);
                }
            }
            _start = 0;
            _buffered = await _stdout.ReadAsync(_buffer, cancellationToken);
            if (_buffered == 0)
            {
                return null;
            }
        }
    }

    async Task DrainStderrAsync(Stream stream)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int n;
            while ((n = await stream.ReadAsync(chunk.AsMemory(0, 4096))) > 0)
            {
                if (Interlocked.Add(ref _stderrBytes, n) > Volatile.Read(ref _stderrLimitAt))
                {
                    try
                    {
                        Volatile.Read(ref _overflow)?.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // the exchange has just ended
                    }
                }
                lock (_stderr)
                {
                    _stderr.Append(Encoding.UTF8.GetString(chunk, 0, n));
                    if (_stderr.Length > StderrKept)
                    {
                        _stderr.Remove(0, _stderr.Length - StderrKept);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the session is gone
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    string StderrSnapshot()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }

    string StderrSuffix()
    {
        var text = StderrSnapshot().Trim();
        return text.Length == 0 ? "" : $": {Clip(text)}";
    }

    static string Clip(string text) => text.Length <= 400 ? text : text[..400];

    sealed class LineTooLongException : Exception;
}
