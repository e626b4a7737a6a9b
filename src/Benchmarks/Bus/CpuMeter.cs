using System.Diagnostics;

namespace Pipeline.Benchmarks.Bus;

/// <summary>Measures <see cref="CpuUse"/> over a span: the machine's counters and each named process's CPU time, read
/// when it starts and again at <see cref="Stop"/>. The processes must still run at the second reading.</summary>
public sealed class CpuMeter
{
    readonly IReadOnlyDictionary<string, Process> _processes;
    readonly Dictionary<string, TimeSpan> _started;
    readonly MachineCpuTimes? _machine;
    readonly Stopwatch _clock;

    CpuMeter(IReadOnlyDictionary<string, Process> processes)
    {
        _processes = processes;
        _started = processes.ToDictionary(p => p.Key, p => CpuTime(p.Value));
        _machine = MachineCpuTimes.Read();
        _clock = Stopwatch.StartNew();
    }

    public static CpuMeter Start(IReadOnlyDictionary<string, Process> processes) => new(processes);

    /// <returns>null where the machine's counters cannot be read (not Linux)</returns>
    public CpuUse? Stop()
    {
        double window = _clock.Elapsed.TotalSeconds;
        var machine = MachineCpuTimes.Read();
        var used = _processes.ToDictionary(p => p.Key, p => (CpuTime(p.Value) - _started[p.Key]).TotalSeconds);
        return _machine is null || machine is null ? null : CpuUse.Of(_machine, machine, window, used);
    }

    static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }
}
