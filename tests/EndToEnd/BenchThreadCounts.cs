using System.Text.Json;

namespace Pipeline.Tests.EndToEnd;

/// <summary>What <c>bench learner</c> and <c>bench rollout</c> write about their thread counts.</summary>
static class BenchThreadCounts
{
    /// <summary>Asserts the benchmark ran first at the demo's thread plan (half the cores) and then, where that
    /// differs, once more on every core with its own peak; returns that second run, or null where there is none.</summary>
    public static JsonElement? AllCores(JsonElement root)
    {
        int processors = root.GetProperty("machine").GetProperty("logical_processors").GetInt32(), plan = Math.Max(1, processors / 2);
        Assert.Equal(plan, root.GetProperty("machine").GetProperty("torch_threads").GetInt32());
        if (plan == processors)
        {
            Assert.False(root.TryGetProperty("all_cores", out _));
            return null;
        }
        var allCores = root.GetProperty("all_cores");
        Assert.Equal(processors, allCores.GetProperty("machine").GetProperty("torch_threads").GetInt32());
        Assert.InRange(allCores.GetProperty("gemm_peak_gflops").GetDouble(), 0.1, 1e6);
        Assert.False(allCores.TryGetProperty("all_cores", out _));
        return allCores;
    }
}
