using System.Runtime.InteropServices;
using Pipeline.Policy;

namespace Pipeline.Tests.Unit.Policy;

/// <summary>Tests that count page faults of blocks glibc hands out. They run alone: a test running beside them may share
/// the thread's heap (glibc gives threads shared arenas past a count) and take the freed block in between.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CHeapCollection
{
    public const string Name = "the C heap";
}

[Collection(CHeapCollection.Name)]
public sealed class NativeHeapTests
{
    [Fact]
    public void On_glibc_every_setting_is_accepted()
    {
        Assert.True(NativeHeap.KeepFreedMemory(), "mallopt refused one of the settings");
    }

    /// <summary>What the settings are for: a block the size of a tensor, freed and allocated again, lands on pages
    /// already faulted in. With glibc's defaults the first such block is a mapping of its own, unmapped when freed, and
    /// the second comes from a heap's fresh pages: both fault on every page.</summary>
    [Fact]
    public void A_freed_tensor_sized_block_is_reused_without_faulting_its_pages_again()
    {
        Assert.True(NativeHeap.KeepFreedMemory());
        const int bytes = 8 << 20, pages = bytes / 4096;
        long refaulted = -1;
        var thread = new Thread(() =>                                  // a thread of its own: a heap of its own
        {
            var values = new byte[bytes];                               // faulted in here, before counting
            Array.Fill(values, (byte)1);
            var first = Marshal.AllocHGlobal(bytes);                    // malloc
            Marshal.Copy(values, 0, first, bytes);
            Marshal.FreeHGlobal(first);
            long before = MinorFaults();
            var second = Marshal.AllocHGlobal(bytes);
            Marshal.Copy(values, 0, second, bytes);
            refaulted = MinorFaults() - before;
            Marshal.FreeHGlobal(second);
        });
        thread.Start();
        thread.Join();
        Assert.InRange(refaulted, 0, pages / 10);
    }

    /// <summary>The calling thread's minor page faults so far (field 10 of /proc/thread-self/stat).</summary>
    static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
