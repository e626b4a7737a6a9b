using System.Diagnostics;

namespace Pipeline.Tests.Integration.Services;

/// <summary>A child process (a service or a <c>pipeline</c> command) whose output lines are kept and can be waited
/// for. Waiting is event-driven: a waiter completes on the line that matches it, and fails as soon as the process's
/// output ends without one. Disposing kills the whole process tree if it still runs.</summary>
public sealed class ObservedProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly List<LogLine> _lines = [];
    readonly List<Waiter> _waiters = [];
    readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _errorEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    bool _ended;

    sealed record Waiter(Func<LogLine, bool> Match, string What, TaskCompletionSource<LogLine> Result, bool Kill);

    ObservedProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet DLL ARGS…</c> in <paramref name="workingDirectory"/>; <paramref name="environment"/>
    /// is added to (and overrides) this process's environment.</summary>
    public static ObservedProcess Start(string name, string dll, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = new Process { StartInfo = start };
        var observed = new ObservedProcess(name, process);
        process.OutputDataReceived += (_, e) => observed.Received(e.Data, observed._outputEnded);
        process.ErrorDataReceived += (_, e) => observed.Received(e.Data, observed._errorEnded);
        if (!process.Start()) throw new InvalidOperationException($"could not start {name}: dotnet {dll}");
        observed.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return observed;
    }

    public IReadOnlyList<LogLine> Lines
    {
        get { lock (_lines) return _lines.ToArray(); }
    }

    public string Output => string.Join('\n', Lines.Select(l => l.Text));

    /// <summary>The last lines, for failure messages.</summary>
    public string Tail(int count = 40) => $"--- {Name} (pid {Id}), last {count} lines:\n" + string.Join('\n', Lines.TakeLast(count).Select(l => l.Text));

    /// <summary>Completes with the first line (already written or still to come) that matches.</summary>
    public Task<LogLine> WaitForAsync(Func<LogLine, bool> match, string what, TimeSpan limit) =>
        Register(match, what, limit, kill: false);

    /// <summary>Sends SIGKILL from inside the output handler the moment a matching line arrives (no polling delay),
    /// then completes with that line.</summary>
    public Task<LogLine> KillOnAsync(Func<LogLine, bool> match, string what, TimeSpan limit) =>
        Register(match, what, limit, kill: true);

    async Task<LogLine> Register(Func<LogLine, bool> match, string what, TimeSpan limit, bool kill)
    {
        var waiter = new Waiter(match, what, new TaskCompletionSource<LogLine>(TaskCreationOptions.RunContinuationsAsynchronously), kill);
        lock (_lines)
        {
            var found = _lines.FirstOrDefault(match);
            if (found is not null)
            {
                if (kill) KillNow();
                return found;
            }
            if (_ended) throw Ended(what);
            _waiters.Add(waiter);
        }
        try
        {
            return await waiter.Result.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not log {what} within {limit}.\n{Tail()}");
        }
        finally
        {
            lock (_lines) _waiters.Remove(waiter);
        }
    }

    void Received(string? text, TaskCompletionSource ended)
    {
        if (text is null)
        {
            ended.TrySetResult();
            if (!(_outputEnded.Task.IsCompleted && _errorEnded.Task.IsCompleted)) return;
            lock (_lines)
            {
                _ended = true;
                foreach (var waiter in _waiters) waiter.Result.TrySetException(Ended(waiter.What));
            }
            return;
        }
        var line = LogLine.Parse(text);
        lock (_lines)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)))
            {
                if (waiter.Kill) KillNow();
                waiter.Result.TrySetResult(line);
            }
        }
    }

    Exception Ended(string what) => new InvalidOperationException($"{Name} ended without logging {what}.\n{Tail()}");

    /// <summary>SIGKILL to this process alone: no shutdown, no acknowledgements, like a machine that died.</summary>
    public void KillNow()
    {
        try { _process.Kill(entireProcessTree: false); }
        catch (InvalidOperationException) { } // already gone
    }

    /// <summary>Waits for the process to exit and for all its output to be read.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(limit);
            await Task.WhenAll(_outputEnded.Task, _errorEnded.Task).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not exit within {limit}.\n{Tail()}");
        }
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException) { } // never started or already reaped
        finally
        {
            _process.Dispose();
        }
    }
}
