using System.Text.Json;

namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline bench learner --quick</c> as a user runs it: the JSON has the shape and its figures are
/// consistent with each other (no timing targets: speed is for the benchmark itself).</summary>
public sealed class BenchLearnerTests
{
    [Fact]
    public async Task Quick_bench_writes_the_gemm_peak_and_each_precision_s_step()
    {
        using var pipeline = new PipelineProcess();

        var (exitCode, output) = await pipeline.RunAsync(TimeSpan.FromMinutes(5), "bench", "learner", "--quick", "--json", "learner.json");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("learner.json")));
        var root = json.RootElement;
        var machine = root.GetProperty("machine");
        Assert.False(string.IsNullOrWhiteSpace(machine.GetProperty("cpu").GetString()));
        // First at the demo's learner's thread plan (half the cores), then on every core where that differs.
        if (BenchThreadCounts.AllCores(root) is { } allCores) Assert.True(allCores.GetProperty("fp32").GetProperty("available").GetBoolean());
        Assert.Contains(machine.GetProperty("cpu").GetString()!, output);
        double peak = root.GetProperty("gemm_peak_gflops").GetDouble();
        Assert.InRange(peak, 0.1, 1e6);

        var flops = root.GetProperty("flops");
        Assert.True(flops.GetProperty("padded_total").GetDouble() >= flops.GetProperty("total").GetDouble());
        Assert.Equal(2 * flops.GetProperty("policy_forward").GetDouble(), flops.GetProperty("policy_backward").GetDouble(), 1e-6);
        var batch = root.GetProperty("batch");
        long real = batch.GetProperty("prompt_tokens").GetInt64() + batch.GetProperty("completion_tokens").GetInt64();
        long laidOut = batch.GetProperty("padded_tokens").GetInt64();
        Assert.InRange(laidOut, real, (long)batch.GetProperty("sequences").GetInt32() * batch.GetProperty("padded_length").GetInt32());
        Assert.InRange(batch.GetProperty("micro_batches").GetInt32(), 1, batch.GetProperty("sequences").GetInt32());
        Assert.InRange(batch.GetProperty("largest_micro_batch_tokens").GetInt64(), 1, laidOut);

        var bf16 = root.GetProperty("bf16");
        bool hasBf16 = machine.GetProperty("flags").EnumerateArray().Any(f => f.GetString() is "avx512_bf16" or "amx_bf16");
        foreach (var (name, ownPeak) in new[] { ("fp32", peak), ("fp8", peak) }.Concat(hasBf16 ? [("bf16", bf16.GetProperty("gemm_peak_gflops").GetDouble())] : []))
        {
            var precision = root.GetProperty(name);
            Assert.True(precision.GetProperty("available").GetBoolean(), precision.ToString());
            double seconds = precision.GetProperty("step_seconds").GetDouble();
            double gflops = precision.GetProperty("learner_gflops").GetDouble();
            Assert.True(seconds > 0);
            Assert.Equal(flops.GetProperty("total").GetDouble() / seconds / 1e9, gflops, gflops * 1e-9);
            Assert.Equal(gflops / ownPeak, precision.GetProperty("mfu").GetDouble(), 1e-9);
            var breakdown = precision.GetProperty("breakdown");
            foreach (var phase in new[] { "policy_forward", "policy_backward", "reference", "optimizer" })
                Assert.InRange(breakdown.GetProperty(phase).GetDouble(), 0, seconds);
        }

        if (hasBf16)
        {
            // BF16 mixed precision ran against its own peak, and the speed-up over FP32 is the ratio of their steps.
            Assert.InRange(bf16.GetProperty("gemm_peak_gflops").GetDouble(), 0.1, 1e6);
            Assert.Equal(root.GetProperty("fp32").GetProperty("step_seconds").GetDouble() / bf16.GetProperty("step_seconds").GetDouble(),
                root.GetProperty("bf16_speedup").GetDouble(), 1e-9);
        }
        else
        {
            // Without BF16 units the section says why instead of holding figures.
            Assert.False(bf16.GetProperty("available").GetBoolean());
            Assert.Contains("BF16", bf16.GetProperty("unavailable").GetString());
            Assert.False(bf16.TryGetProperty("learner_gflops", out _));
        }
    }
}
