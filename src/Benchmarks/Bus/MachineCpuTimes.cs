namespace Pipeline.Benchmarks.Bus;

/// <summary>The whole machine's CPU time so far, in the kernel's clock ticks, as the first line of <c>/proc/stat</c>
/// sums it over every processor: what was busy (user, nice, system, irq, softirq) and everything (busy, idle, iowait and
/// steal — time the hypervisor gave to another guest, which no process here could use).</summary>
/// <param name="Processors">the <c>cpuN</c> lines: the processors the totals cover</param>
public sealed record MachineCpuTimes(long Busy, long Total, int Processors)
{
    /// <summary>This machine now; null where there is no <c>/proc/stat</c> (not Linux).</summary>
    public static MachineCpuTimes? Read() => File.Exists("/proc/stat") ? Parse(File.ReadAllText("/proc/stat")) : null;

    /// <summary>The counters from the text of <c>/proc/stat</c>; null when it has no aggregate <c>cpu</c> line.</summary>
    public static MachineCpuTimes? Parse(string procStat)
    {
        long[]? counters = null;
        int processors = 0;
        foreach (var line in procStat.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || !fields[0].StartsWith("cpu", StringComparison.Ordinal)) continue;
            if (fields[0] == "cpu") counters = fields.Skip(1).Take(8).Select(long.Parse).ToArray();
            else processors++;
        }
        if (counters is null || counters.Length < 4) return null;
        long At(int i) => i < counters.Length ? counters[i] : 0;
        // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
        long busy = At(0) + At(1) + At(2) + At(5) + At(6);
        return new MachineCpuTimes(busy, busy + At(3) + At(4) + At(7), Math.Max(1, processors));
    }
}
