using Pipeline.Policy;

namespace Pipeline.Benchmarks;

/// <summary>The libtorch thread counts <c>bench learner</c> and <c>bench rollout</c> measure at, each with its own
/// GEMM peak.</summary>
public static class BenchmarkThreads
{
    /// <summary>The count the component's setting names (<c>Learner:TorchThreads</c>, <c>Rollout:TorchThreads</c>); or
    /// else first the demo's (the one-process thread plan, <see cref="TorchRuntime.SideBySide"/>: half the cores), then
    /// every core, when that differs.</summary>
    public static IReadOnlyList<int> Counts(int configured, int processors) =>
        configured > 0 ? [configured] : new[] { Math.Max(1, processors / 2), processors }.Distinct().ToArray();

    /// <summary>Runs <paramref name="measure"/> once per count, each on a new thread configured for it (libgomp sizes
    /// a thread's team when that thread first runs parallel work, so a thread that already ran on one count would go
    /// on with it).</summary>
    public static async Task<IReadOnlyList<T>> EachAsync<T>(IReadOnlyList<int> counts, string name, Func<int, T> measure)
    {
        var results = new List<T>(counts.Count);
        foreach (int threads in counts)
        {
            using var worker = new TorchThread($"{name} ({threads} threads)");
            results.Add(await worker.RunAsync(() =>
            {
                TorchRuntime.Configure(threads);
                return measure(threads);
            }));
        }
        return results;
    }
}
