using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Pipeline.Sandboxing;

/// <summary>One cgroup v1 memory group and one pids group per parallel run slot, created below the verifier's own
/// groups. A run joins its slot's groups before it drops privileges, so everything it starts is counted there;
/// after the run the slot is swept (any process still in it is killed) before the next run may use it.</summary>
sealed class SandboxCgroups : IDisposable
{
    const string Root = "/sys/fs/cgroup";
    const int SigKill = 9;
    static int s_instances;

    readonly string _memoryParent;
    readonly string _pidsParent;
    readonly ConcurrentBag<SandboxCgroupSlot> _free = [];
    readonly List<SandboxCgroupSlot> _all = [];

    SandboxCgroups(string memoryParent, string pidsParent)
    {
        _memoryParent = memoryParent;
        _pidsParent = pidsParent;
    }

    /// <summary>Creates the slots, or returns null with the reason when cgroup v1 memory and pids are not writable.</summary>
    public static SandboxCgroups? TryCreate(int slots, long memoryBytes, int maxPids, out string why)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            why = "not running as root, so per-run cgroups cannot be created";
            return null;
        }
        var memoryOwn = OwnGroup("memory");
        var pidsOwn = OwnGroup("pids");
        if (memoryOwn is null || pidsOwn is null
            || !File.Exists(Path.Combine(Root, "memory", memoryOwn.TrimStart('/'), "memory.limit_in_bytes"))
            || !Directory.Exists(Path.Combine(Root, "pids", pidsOwn.TrimStart('/'))))
        {
            why = "cgroup v1 memory and pids hierarchies are not mounted";
            return null;
        }
        var name = $"pipeline-sandbox-{Environment.ProcessId}-{Interlocked.Increment(ref s_instances)}";
        var memoryParent = Path.Combine(Root, "memory", memoryOwn.TrimStart('/'), name);
        var pidsParent = Path.Combine(Root, "pids", pidsOwn.TrimStart('/'), name);
        var groups = new SandboxCgroups(memoryParent, pidsParent);
        try
        {
            RemoveStale(Path.GetDirectoryName(memoryParent)!);
            RemoveStale(Path.GetDirectoryName(pidsParent)!);
            Directory.CreateDirectory(memoryParent);
            Directory.CreateDirectory(pidsParent);
            for (var i = 0; i < slots; i++)
            {
                var slot = SandboxCgroupSlot.Create(
                    Path.Combine(memoryParent, $"slot-{i}"), Path.Combine(pidsParent, $"slot-{i}"), memoryBytes, maxPids);
                groups._all.Add(slot);
                groups._free.Add(slot);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            groups.Dispose();
            why = $"cgroup v1 is not writable here ({e.Message})";
            return null;
        }
        why = "";
        return groups;
    }

    /// <summary>A free slot; the caller's semaphore guarantees there is one.</summary>
    public SandboxCgroupSlot Rent() =>
        _free.TryTake(out var slot) ? slot : throw new InvalidOperationException("No free sandbox cgroup slot.");

    /// <summary>A free slot, or false when every slot is taken.</summary>
    public bool TryRent(out SandboxCgroupSlot slot) => _free.TryTake(out slot!);

    public void Return(SandboxCgroupSlot slot) => _free.Add(slot);

    public void Dispose()
    {
        foreach (var slot in _all)
        {
            slot.Remove();
        }
        TryRemoveDirectory(_memoryParent);
        TryRemoveDirectory(_pidsParent);
    }

    internal static void KillProcess(int pid) => _ = kill(pid, SigKill);

    internal static void TryRemoveDirectory(string path)
    {
        try
        {
            // cgroup directories are removed with rmdir(2) even though they list control files.
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: false);
            }
        }
        catch (IOException)
        {
            // still populated: left for the next start's stale sweep
        }
    }

    static string? OwnGroup(string controller)
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && parts[1].Split(',').Contains(controller))
            {
                return parts[2];
            }
        }
        return null;
    }

    /// <summary>Groups left by a verifier process that no longer exists (killed before it could clean up).</summary>
    static void RemoveStale(string parent)
    {
        foreach (var dir in Directory.EnumerateDirectories(parent, "pipeline-sandbox-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length == 4 && int.TryParse(parts[2], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                foreach (var slot in Directory.EnumerateDirectories(dir))
                {
                    SandboxCgroupSlot.KillAll(slot);
                    TryRemoveDirectory(slot);
                }
                TryRemoveDirectory(dir);
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);
}

/// <summary>The memory and pids groups of one run slot.</summary>
sealed class SandboxCgroupSlot
{
    readonly string _memory;
    readonly string _pids;
    long _oomKillsBefore;

    SandboxCgroupSlot(string memory, string pids)
    {
        _memory = memory;
        _pids = pids;
    }

    /// <summary>The two cgroup.procs files a run's first process writes its pid into.</summary>
    public string MemoryProcs => Path.Combine(_memory, "cgroup.procs");
    public string PidsProcs => Path.Combine(_pids, "cgroup.procs");

    /// <summary>The memory group's OOM state; its <c>oom_kill</c> line counts the kills so far.</summary>
    public string OomControl => Path.Combine(_memory, "memory.oom_control");

    public static SandboxCgroupSlot Create(string memory, string pids, long memoryBytes, int maxPids)
    {
        Directory.CreateDirectory(memory);
        Directory.CreateDirectory(pids);
        File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), memoryBytes.ToString());
        var memsw = Path.Combine(memory, "memory.memsw.limit_in_bytes");
        if (File.Exists(memsw))
        {
            // Same bound on memory plus swap, so a run cannot spill into swap; absent without swap accounting.
            File.WriteAllText(memsw, memoryBytes.ToString());
        }
        File.WriteAllText(Path.Combine(pids, "pids.max"), maxPids.ToString());
        var slot = new SandboxCgroupSlot(memory, pids);
        slot._oomKillsBefore = slot.OomKills();
        return slot;
    }

    /// <summary>Whether the kernel OOM-killed something in this slot since the slot was last swept.</summary>
    public bool OomKilledSinceSweep() => OomKills() > _oomKillsBefore;

    /// <summary>Kills anything still in the slot and waits (up to a second) until both groups are empty.
    /// Normally there is nothing: the pid namespace ends with the run. This is the second line of defence.</summary>
    public async Task<int> SweepAsync()
    {
        var leftovers = 0;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var killed = KillAll(_pids) + KillAll(_memory);
            if (killed == 0)
            {
                break;
            }
            leftovers = Math.Max(leftovers, killed);
            await Task.Delay(10);
        }
        _oomKillsBefore = OomKills();
        return leftovers;
    }

    public void Remove()
    {
        SweepAsync().GetAwaiter().GetResult();
        SandboxCgroups.TryRemoveDirectory(_memory);
        SandboxCgroups.TryRemoveDirectory(_pids);
    }

    internal static int KillAll(string group)
    {
        var procs = Path.Combine(group, "cgroup.procs");
        if (!File.Exists(procs))
        {
            return 0;
        }
        var count = 0;
        foreach (var line in File.ReadAllLines(procs))
        {
            if (int.TryParse(line, out var pid))
            {
                SandboxCgroups.KillProcess(pid);
                count++;
            }
        }
        return count;
    }

    /// <summary>The memory group's OOM kills so far.</summary>
    internal long OomKills()
    {
        if (!File.Exists(OomControl))
        {
            return 0;
        }
        foreach (var line in File.ReadLines(OomControl))
        {
            if (line.StartsWith("oom_kill ", StringComparison.Ordinal) && long.TryParse(line[9..], out var n))
            {
                return n;
            }
        }
        return 0;
    }
}
