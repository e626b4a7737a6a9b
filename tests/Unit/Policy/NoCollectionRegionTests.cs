using System.Runtime;
using Pipeline.Policy;

namespace Pipeline.Tests.Unit.Policy;

/// <summary>The region is process-wide, so these run alone (with the C heap's tests, which count page faults).</summary>
[Collection(CHeapCollection.Name)]
public sealed class NoCollectionRegionTests
{
    [Fact]
    public void Work_runs_with_no_collection_allowed_and_the_mode_is_restored_after()
    {
        var before = GCSettings.LatencyMode;
        int collections = GC.CollectionCount(0);

        var (mode, during) = NoCollectionRegion.Run(() =>
        {
            int start = GC.CollectionCount(0);
            var garbage = Enumerable.Range(0, 10_000).Select(i => new byte[64]).ToArray();   // ~1 MB, within the budget
            GC.KeepAlive(garbage);
            return (GCSettings.LatencyMode, GC.CollectionCount(0) - start);
        });

        Assert.Equal(GCLatencyMode.NoGCRegion, mode);
        Assert.Equal(0, during);
        Assert.Equal(before, GCSettings.LatencyMode);
        Assert.True(GC.CollectionCount(0) >= collections);
    }

    [Fact]
    public void A_failure_in_the_work_comes_back_and_ends_the_region()
    {
        var before = GCSettings.LatencyMode;

        var error = Assert.Throws<InvalidOperationException>(() => NoCollectionRegion.Run(() => throw new InvalidOperationException("step failed")));

        Assert.Equal("step failed", error.Message);
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void Work_that_outgrows_the_budget_still_runs_to_the_end()
    {
        long total = NoCollectionRegion.Run(() =>
        {
            long sum = 0;
            for (int i = 0; i < 80; i++) sum += new byte[1 << 20].Length;   // 80 MB: the runtime collects and ends the region
            return sum;
        });

        Assert.Equal(80L << 20, total);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
