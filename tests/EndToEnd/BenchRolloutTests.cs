using System.Text.Json;

namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline bench rollout --quick</c> as a user runs it: the JSON has the shape, both samplers drew
/// the same tokens, and the derived figures follow from the measured ones (no timing targets).</summary>
public sealed class BenchRolloutTests
{
    [Fact]
    public async Task Quick_bench_compares_the_kv_cache_sampler_with_recomputation_at_each_batch_size()
    {
        using var pipeline = new PipelineProcess();

        var (exitCode, output) = await pipeline.RunAsync(TimeSpan.FromMinutes(5), "bench", "rollout", "--quick", "--json", "rollout.json");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("rollout.json")));
        var root = json.RootElement;
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("machine").GetProperty("cpu").GetString()));
        double peak = root.GetProperty("gemm_peak_gflops").GetDouble();
        long parameters = root.GetProperty("params").GetInt64();
        Assert.InRange(peak, 0.1, 1e6);
        Assert.True(parameters > 0);

        var batches = root.GetProperty("batches").EnumerateArray().ToArray();
        Assert.Equal([1, 8], batches.Select(b => b.GetProperty("sequences").GetInt32()));
        foreach (var batch in batches)
        {
            double kv = batch.GetProperty("kv_tokens_per_second").GetDouble();
            double nocache = batch.GetProperty("nocache_tokens_per_second").GetDouble();
            Assert.True(kv > 0 && nocache > 0, batch.ToString());
            Assert.Equal(kv / nocache, batch.GetProperty("kv_speedup").GetDouble(), 1e-9);
            Assert.Equal(kv * 2 * parameters / (peak * 1e9), batch.GetProperty("flop_limit_fraction").GetDouble(), 1e-9);
            Assert.Equal(batch.GetProperty("kv_tokens").GetInt64(), batch.GetProperty("nocache_tokens").GetInt64());
            Assert.Equal(1.0, batch.GetProperty("identical_sequences").GetDouble());
        }

        // Sampling ran in the compute dtype auto picked; where the CPU has BF16 units, FP32 and BF16 sampling were compared
        // at the largest batch, and the BF16 rollout's distributions are close to the learner's, not identical.
        var machine = root.GetProperty("machine");
        // First at the demo's rollout's thread plan (half the cores), then the batches again on every core where that
        // differs, against that count's own peak and without the precision comparison.
        if (BenchThreadCounts.AllCores(root) is { } allCores)
        {
            Assert.Equal([1, 8], allCores.GetProperty("batches").EnumerateArray().Select(b => b.GetProperty("sequences").GetInt32()));
            Assert.False(allCores.TryGetProperty("bf16", out _));
        }
        bool hasBf16 = machine.GetProperty("flags").EnumerateArray().Any(f => f.GetString() is "avx512_bf16" or "amx_bf16");
        Assert.Equal(hasBf16 ? "bf16" : "fp32", root.GetProperty("compute_dtype").GetString());
        Assert.Equal(hasBf16, root.TryGetProperty("bf16", out var bf16));   // null is left out
        if (!hasBf16) return;
        Assert.Equal(8, bf16.GetProperty("sequences").GetInt32());
        Assert.Equal(bf16.GetProperty("bf16_tokens_per_second").GetDouble() / bf16.GetProperty("fp32_tokens_per_second").GetDouble(),
            bf16.GetProperty("bf16_speedup").GetDouble(), 1e-9);
        Assert.True(bf16.GetProperty("tokens").GetInt32() > 0);
        Assert.InRange(bf16.GetProperty("mean_kl").GetDouble(), 1e-12, 0.01);
        Assert.InRange(bf16.GetProperty("max_kl").GetDouble(), bf16.GetProperty("mean_kl").GetDouble(), 0.1);
    }
}
