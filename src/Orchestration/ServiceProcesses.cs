using System.Diagnostics;

namespace Pipeline.Orchestration;

/// <summary>Starts the learner, rollout and verifier executables as separate OS processes, with the given settings in
/// their environment; kills them all on dispose. The executables are the ones that ship beside this program unless
/// the constructor's <c>binDirectory</c> names another build. Each process is known by its name (<c>learner-0</c>,
/// <c>rollout-1</c>, …) and writes to one log file of that name, which a restarted instance appends to. The processes
/// are also killed when this program exits without disposing this (on Ctrl-C a command has only a moment before the
/// program ends), so that none is left running without its parent.</summary>
public sealed class ServiceProcesses : IDisposable
{
    readonly Dictionary<string, (string Service, Process Process)> _running = [];
    readonly List<int> _started = [];
    readonly string _logDirectory;
    readonly IReadOnlyDictionary<string, string> _environment;
    readonly string? _binDirectory;

    public ServiceProcesses(string logDirectory, IReadOnlyDictionary<string, string> environment, string? binDirectory = null)
    {
        _logDirectory = logDirectory;
        _environment = environment;
        _binDirectory = binDirectory;
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
    }

    public IReadOnlyList<Process> Processes => _running.Values.Select(r => r.Process).ToArray();

    /// <summary>The current instance of each name (<c>learner-0</c>, <c>rollout-1</c>, …).</summary>
    public IReadOnlyDictionary<string, Process> Named
    {
        get
        {
            lock (_running) return _running.ToDictionary(r => r.Key, r => r.Value.Process);
        }
    }

    /// <summary>The id of every process started so far, restarted instances included.</summary>
    public IReadOnlyList<int> StartedIds => _started.ToArray();

    /// <summary>The log file of one process.</summary>
    public string LogOf(string name) => Path.Combine(_logDirectory, $"{name}.log");

    /// <summary>The name <see cref="Start"/> gives an instance: <c>learner-0</c>, <c>rollout-1</c>.</summary>
    public static string NameOf(string service, int instance) => $"{service.ToLowerInvariant()}-{instance}";

    /// <param name="service">Learner, Rollout or Verifier</param>
    public Process Start(string service, int instance = 0)
    {
        var dll = Path.Combine(_binDirectory ?? AppContext.BaseDirectory, $"Pipeline.{service}.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"the {service} service is not built in {Path.GetDirectoryName(dll)} ({dll})");
        Directory.CreateDirectory(_logDirectory);
        var name = NameOf(service, instance);
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$0\" >>\"$1\" 2>&1");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(LogOf(name));
        foreach (var (key, value) in _environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {service}");
        lock (_running)
        {
            if (_running.Remove(name, out var previous)) previous.Process.Dispose();
            _running[name] = (service, process);
            _started.Add(process.Id);
        }
        return process;
    }

    /// <summary>SIGKILL to one process (no shutdown, no acknowledgements, like a machine that died), waiting until it is gone.</summary>
    public void Kill(string name)
    {
        var process = Running(name);
        try
        {
            process.Kill(entireProcessTree: false);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>Starts a killed (or exited) process again under its name.</summary>
    public Process Restart(string name)
    {
        var (service, process) = _running.TryGetValue(name, out var found) ? found : throw new ArgumentException($"no service process named {name}");
        if (!process.HasExited) throw new InvalidOperationException($"{name} is still running");
        return Start(service, int.Parse(name[(name.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>SIGSTOP: the process stays, holding its connections and unacknowledged deliveries, and does nothing.</summary>
    public Task PauseAsync(string name) => SignalAsync(name, "STOP");

    /// <summary>SIGCONT after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync(string name) => SignalAsync(name, "CONT");

    /// <summary>SIGTERM to every running process (each shuts down as its host allows), then SIGKILL to any still
    /// running after <paramref name="grace"/>.</summary>
    public async Task StopAllAsync(TimeSpan grace)
    {
        var running = _running.Values.Select(r => r.Process).Where(p => !p.HasExited).ToArray();
        foreach (var process in running)
        {
            await SignalAsync(process.Id, "TERM");
            await SignalAsync(process.Id, "CONT"); // a paused process acts on the TERM only once it runs again
        }
        using var limit = new CancellationTokenSource(grace);
        foreach (var process in running)
        {
            try { await process.WaitForExitAsync(limit.Token); }
            catch (OperationCanceledException) { }
        }
        foreach (var process in running.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    Process Running(string name) =>
        _running.TryGetValue(name, out var found) ? found.Process : throw new ArgumentException($"no service process named {name}");

    Task SignalAsync(string name, string signal) => SignalAsync(Running(name).Id, signal);

    static async Task SignalAsync(int pid, string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add($"-{signal}");
        start.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(start) ?? throw new InvalidOperationException($"could not run kill -{signal} {pid}");
        await kill.WaitForExitAsync();
    }

    void KillOnExit(object? sender, EventArgs e)
    {
        lock (_running)
            foreach (var (_, process) in _running.Values) KillQuietly(process);
    }

    static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        lock (_running)
        {
            // All killed first, then waited for: the program may have only a moment left.
            foreach (var (_, process) in _running.Values) KillQuietly(process);
            foreach (var (_, process) in _running.Values)
            {
                try { process.WaitForExit(10_000); }
                catch (InvalidOperationException) { } // already gone
                process.Dispose();
            }
        }
    }
}
