using static TorchSharp.torch;

namespace Pipeline.Policy;

/// <summary>Process-wide libtorch settings, applied once by each host before any tensor work: intra-op threads, and
/// the C heap kept rather than handed back between steps (<see cref="NativeHeap"/>).</summary>
public static class TorchRuntime
{
    /// <param name="threads">intra-op threads; 0 = one per core</param>
    public static void Configure(int threads)
    {
        set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
        NativeHeap.KeepFreedMemory();
    }

    /// <summary>The intra-op threads libtorch now runs with (what <see cref="Configure"/> set).</summary>
    public static int Threads => get_num_threads();

    /// <summary>
    /// The thread plan of a process in which the learner and a rollout worker run side by side (the embedded host):
    /// each libtorch operation gets half the cores, so that the two together fill the machine without oversubscribing
    /// it, and the held-out evaluations, which come and go, take turns with them. At the demo's model size an operation
    /// gains little from a second thread (the learner's step is mostly per-operation overhead), while two components
    /// each running two threads on two cores wait on each other's preempted threads at every parallel region.
    /// </summary>
    /// <param name="configured">a thread count set explicitly (wins), or 0 for the plan</param>
    public static int SideBySide(int configured) => configured > 0 ? configured : Math.Max(1, Environment.ProcessorCount / 2);
}
