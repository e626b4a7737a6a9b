namespace Pipeline.Benchmarks.Bus;

/// <summary>Where the CPU went while one mode's timed run ran: how busy the whole machine was, the core-seconds of
/// each of Pipeline's own processes (the one process embedded; the learner, rollout workers and verifiers as
/// services), and the rest of the busy time — the broker, the database, sandboxed programs, the kernel and anything
/// else on the machine. On a machine that the run keeps busy, a mode that needs more core-seconds for the same run
/// takes longer by about as much.</summary>
/// <param name="WindowSeconds">the span measured: from just before the run was started to its end</param>
/// <param name="BusyFraction">busy ÷ all of the machine's processor time in the window (1: every processor busy throughout)</param>
/// <param name="BusyCoreSeconds">the machine's busy time, in core-seconds</param>
/// <param name="Processes">core-seconds (user + system) of each of Pipeline's processes, by name</param>
/// <param name="OtherCoreSeconds">busy time that none of those processes used</param>
public sealed record CpuUse(double WindowSeconds, double BusyFraction, double BusyCoreSeconds,
    IReadOnlyDictionary<string, double> Processes, double OtherCoreSeconds)
{
    /// <summary>Each process's core-seconds by thread name, most first (<see cref="ThreadCpuTimes"/>): the learner's
    /// GRPO steps, the evaluator, the rollout sampler, the .NET thread pool (messages, database, checkpoints), the
    /// garbage collector. Threads that ended before the second reading are missing, so these may sum to less than
    /// <see cref="Processes"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Threads { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>The machine's other processes that used CPU in the window, by name, most first: where
    /// <see cref="OtherCoreSeconds"/> went (the broker, the database, kernel threads). What is not here is time of
    /// processes that came and went in between, and interrupts.</summary>
    public IReadOnlyDictionary<string, double> OtherProcesses { get; init; } = new Dictionary<string, double>();

    /// <summary>The use between two readings of the machine's counters, <paramref name="windowSeconds"/> apart, with the
    /// CPU time each process used in between.</summary>
    public static CpuUse Of(MachineCpuTimes before, MachineCpuTimes after, double windowSeconds, IReadOnlyDictionary<string, double> processes)
    {
        long total = after.Total - before.Total;
        if (total <= 0 || windowSeconds <= 0) throw new ArgumentException("the second reading must come after the first");
        double busyFraction = (double)(after.Busy - before.Busy) / total;
        double busyCoreSeconds = busyFraction * after.Processors * windowSeconds;
        return new CpuUse(windowSeconds, busyFraction, busyCoreSeconds, processes, busyCoreSeconds - processes.Values.Sum());
    }
}
