namespace Pipeline.Benchmarks.Bus;

/// <summary>The CPU time of each thread of a process so far, from <c>/proc/PID/task/TID/stat</c>: its name (what
/// <c>Thread.Name</c> or the runtime set: <c>learner</c>, <c>evaluator</c>, <c>rollout sampler</c>, <c>.NET TP
/// Worker</c>, …) and user + system time in clock ticks; and the same for every process (<c>/proc/PID/stat</c>).</summary>
public static class ThreadCpuTimes
{
    /// <summary>Clock ticks per second in <c>/proc</c>: USER_HZ, 100 on every Linux architecture .NET runs on.</summary>
    public const double TicksPerSecond = 100;

    /// <summary>Each live thread of process <paramref name="pid"/> by thread id; empty where <c>/proc</c> has none (the
    /// process has gone, or this is not Linux). A thread that ends between two readings takes its time with it.</summary>
    public static IReadOnlyDictionary<int, (string Name, long Ticks)> Read(int pid) => ReadEntries($"/proc/{pid}/task");

    /// <summary>The <c>stat</c> of each numbered directory in <paramref name="directory"/>.</summary>
    static Dictionary<int, (string Name, long Ticks)> ReadEntries(string directory)
    {
        var entries = new Dictionary<int, (string, long)>();
        if (!Directory.Exists(directory)) return entries;
        foreach (var entry in Directory.EnumerateDirectories(directory))
        {
            if (!int.TryParse(Path.GetFileName(entry), out int id)) continue;
            try
            {
                if (Parse(File.ReadAllText(Path.Combine(entry, "stat"))) is { } stat) entries[id] = stat;
            }
            catch (IOException)
            {
                // it ended while we read
            }
            catch (UnauthorizedAccessException)
            {
                // not ours to read
            }
        }
        return entries;
    }

    /// <summary>Every process on the machine by process id, as <see cref="Read"/> gives threads (a process's line counts
    /// all its threads, ended ones included); empty where there is no <c>/proc</c>.</summary>
    public static IReadOnlyDictionary<int, (string Name, long Ticks)> ReadProcesses() => ReadEntries("/proc");

    /// <summary>The name and user + system ticks from one <c>stat</c> line; null when it is not one. The name is in
    /// parentheses and may itself hold spaces and parentheses, so the fields are counted from the last ')'.</summary>
    public static (string Name, long Ticks)? Parse(string stat)
    {
        int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // after the name: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
        if (fields.Length < 13 || !long.TryParse(fields[11], out long user) || !long.TryParse(fields[12], out long system)) return null;
        return (stat[(open + 1)..close], user + system);
    }

    /// <summary>Seconds per thread name between two readings of one process: a thread counts what it used after the
    /// first reading (all of it, if it started since). The second reading may hold threads that have since ended, at
    /// their last reading (<see cref="CpuMeter"/> keeps them).</summary>
    /// <param name="nameOf">the name to sum an entry under (default: its own)</param>
    public static IReadOnlyDictionary<string, double> Between(IReadOnlyDictionary<int, (string Name, long Ticks)> before,
        IReadOnlyDictionary<int, (string Name, long Ticks)> after, Func<string, string>? nameOf = null)
    {
        var byName = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (id, (name, ticks)) in after)
        {
            long used = ticks - (before.TryGetValue(id, out var earlier) ? earlier.Ticks : 0);
            var key = nameOf is null ? name : nameOf(name);
            if (used > 0) byName[key] = byName.GetValueOrDefault(key) + used / TicksPerSecond;
        }
        return byName.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).ToDictionary();
    }
}
