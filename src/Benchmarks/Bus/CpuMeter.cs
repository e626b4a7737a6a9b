using System.Diagnostics;

namespace Pipeline.Benchmarks.Bus;

/// <summary>Measures <see cref="CpuUse"/> over a span: the machine's counters and each named process's CPU time, read
/// when it starts and again at <see cref="Stop"/>, and each process's threads by name. The threads are read every
/// <see cref="SamplePeriod"/> as well, because a run's own threads (an embedded run's learner, sampler and evaluator)
/// end with it, before the second reading: such a thread counts what it had used at its last sample. Every other
/// process on the machine is read at both readings too, so that the busy time no Pipeline process used is put on
/// names (the broker's <c>beam.smp</c>, <c>postgres</c>, kernel threads); a process that starts and ends between the
/// readings (a sandboxed program) is not seen. The processes must still run at the second reading.</summary>
public sealed class CpuMeter : IDisposable
{
    /// <summary>How often the threads are read between the two readings; a thread that ends loses at most this much.</summary>
    public static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(200);

    readonly IReadOnlyDictionary<string, Process> _processes;
    readonly Dictionary<string, TimeSpan> _started;
    readonly Dictionary<string, IReadOnlyDictionary<int, (string Name, long Ticks)>> _firstThreads;
    readonly Dictionary<string, Dictionary<int, (string Name, long Ticks)>> _lastThreads;
    readonly MachineCpuTimes? _machine;
    readonly IReadOnlyDictionary<int, (string Name, long Ticks)> _allProcesses;
    readonly Stopwatch _clock;
    readonly Timer _sampler;
    readonly Lock _lock = new();

    CpuMeter(IReadOnlyDictionary<string, Process> processes, bool sampleThreads)
    {
        _processes = processes;
        _started = processes.ToDictionary(p => p.Key, p => CpuTime(p.Value));
        _firstThreads = processes.ToDictionary(p => p.Key, p => ThreadCpuTimes.Read(p.Value.Id));
        _lastThreads = _firstThreads.ToDictionary(p => p.Key, p => p.Value.ToDictionary());
        _machine = MachineCpuTimes.Read();
        _allProcesses = ThreadCpuTimes.ReadProcesses();
        _clock = Stopwatch.StartNew();
        var period = sampleThreads ? SamplePeriod : Timeout.InfiniteTimeSpan;
        _sampler = new Timer(_ => SampleThreads(), null, period, period);
    }

    /// <param name="sampleThreads">read the threads every <see cref="SamplePeriod"/> too: for processes whose threads
    /// may end within the span (an embedded run's). Without it they are read at the start and at <see cref="Stop"/>
    /// only, which costs the processes measured nothing in between.</param>
    public static CpuMeter Start(IReadOnlyDictionary<string, Process> processes, bool sampleThreads = true) => new(processes, sampleThreads);

    /// <returns>null where the machine's counters cannot be read (not Linux)</returns>
    public CpuUse? Stop()
    {
        double window = _clock.Elapsed.TotalSeconds;
        var machine = MachineCpuTimes.Read();
        var allProcesses = ThreadCpuTimes.ReadProcesses();
        var used = _processes.ToDictionary(p => p.Key, p => (CpuTime(p.Value) - _started[p.Key]).TotalSeconds);
        _sampler.Dispose();
        SampleThreads();
        Dictionary<string, IReadOnlyDictionary<string, double>> threads;
        lock (_lock)
            threads = _processes.Keys.ToDictionary(name => name, name => ThreadCpuTimes.Between(_firstThreads[name], _lastThreads[name]));
        var ours = _processes.Values.Select(p => p.Id).ToHashSet();
        var others = ThreadCpuTimes.Between(Except(_allProcesses, ours), Except(allProcesses, ours), OtherProcessName);
        return _machine is null || machine is null ? null : CpuUse.Of(_machine, machine, window, used) with { Threads = threads, OtherProcesses = others };
    }

    void SampleThreads()
    {
        foreach (var (name, process) in _processes)
        {
            var now = ThreadCpuTimes.Read(process.Id);
            lock (_lock)
                foreach (var (tid, thread) in now) _lastThreads[name][tid] = thread;
        }
    }

    static Dictionary<int, (string Name, long Ticks)> Except(IReadOnlyDictionary<int, (string Name, long Ticks)> processes, HashSet<int> ids) =>
        processes.Where(p => !ids.Contains(p.Key)).ToDictionary();

    /// <summary>A process's name as the other processes are summed by: kernel threads without their instance
    /// (<c>kworker/1:2-events</c> → <c>kworker</c>), PostgreSQL's backends as one (they are all <c>postgres</c>).</summary>
    public static string OtherProcessName(string name) => name.Split('/')[0];

    static TimeSpan CpuTime(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    public void Dispose() => _sampler.Dispose();
}
