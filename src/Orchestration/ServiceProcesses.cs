using System.Diagnostics;

namespace Pipeline.Orchestration;

/// <summary>Starts the learner, rollout and verifier executables that ship beside this program as separate OS
/// processes, with the given settings in their environment; kills them all on dispose. Their output goes to one log
/// file per process.</summary>
public sealed class ServiceProcesses(string logDirectory, IReadOnlyDictionary<string, string> environment) : IDisposable
{
    readonly List<Process> _processes = [];

    public IReadOnlyList<Process> Processes => _processes;

    /// <param name="service">Learner, Rollout or Verifier</param>
    public Process Start(string service, int instance = 0)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, $"Pipeline.{service}.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"the {service} service is not built beside this program ({dll})");
        Directory.CreateDirectory(logDirectory);
        var log = Path.Combine(logDirectory, $"{service.ToLowerInvariant()}-{instance}.log");
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$0\" >\"$1\" 2>&1");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(log);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {service}");
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            process.Dispose();
        }
    }
}
