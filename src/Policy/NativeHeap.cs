using System.Runtime.InteropServices;

namespace Pipeline.Policy;

/// <summary>
/// glibc's allocator set up for libtorch's tensors, which it allocates and frees by the megabyte at every operation.
/// By default glibc hands freed memory back to the kernel — a thread's heap is deleted as soon as it is empty, the main
/// heap trimmed, a large block unmapped — so the next step's tensors land on fresh pages and fault on first touch,
/// every step. On a virtual machine a fault costs microseconds (about 12 µs on the development VM, against well under
/// one on bare metal): a learner service faulted ~24,000 times a step, a quarter of its CPU. Kept instead, a process's
/// heap stays at its peak, as a GPU caching allocator's does, and the pages are touched once.
/// </summary>
/// <remarks>
/// Written by hand because nothing else reaches it: libtorch's CPU allocator calls glibc's <c>posix_memalign</c> and
/// TorchSharp exposes no allocator hook. <c>mallopt</c> changes these three settings for every heap at any time (the
/// number of heaps, <c>M_ARENA_MAX</c>, is fixed once the runtime's threads have made a second one, before
/// <c>Main</c>; hence <see cref="TorchThread"/>). Other C libraries (musl) and other systems are left alone.
/// </remarks>
public static class NativeHeap
{
    const int TrimThreshold = -1, TopPad = -2, MmapThreshold = -3;     // M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD

    /// <summary>Free memory at a heap's top that glibc keeps rather than trims: all of it, in practice.</summary>
    public const int KeptFreeBytes = int.MaxValue;

    /// <summary>Extra room a heap takes whenever it grows; as large as a thread's heap, so that glibc never deletes
    /// an emptied heap (it keeps one whose neighbour has less than this free).</summary>
    public const int PadBytes = 64 << 20;

    /// <summary>Blocks at least this large get a mapping of their own, unmapped when freed: glibc's maximum, so that
    /// every tensor of the models here comes from a heap.</summary>
    public const int OwnMappingBytes = 32 << 20;

    /// <summary>Applies the settings; true where this is glibc and it took all three.</summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return Mallopt(MmapThreshold, OwnMappingBytes) == 1 & Mallopt(TrimThreshold, KeptFreeBytes) == 1 & Mallopt(TopPad, PadBytes) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;                                                   // not glibc
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int Mallopt(int parameter, int value);
}
