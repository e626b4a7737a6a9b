using System.Text.Json;

namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline bench fp8</c> as a user runs it, shortened: every section's figures land in the JSON, and
/// the ones that do not depend on training length hold their targets even here.</summary>
public sealed class BenchFp8Tests
{
    [Fact]
    public async Task Quick_bench_writes_accumulation_parity_transport_and_grpo_figures()
    {
        using var pipeline = new PipelineProcess();

        var (exitCode, output) = await pipeline.RunAsync(TimeSpan.FromMinutes(15),
            "bench", "fp8", "--quick", "--steps", "10", "--grpo-steps", "1", "--json", "fp8.json");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("fp8.json")));
        var root = json.RootElement;

        var rows = root.GetProperty("accumulation").EnumerateArray().ToArray();
        Assert.Equal([128, 512, 1024, 4096, 16384], rows.Select(r => r.GetProperty("k").GetInt32()));
        var k4096 = rows[3];
        Assert.True(k4096.GetProperty("limited_max_rel_err").GetDouble() > 5 * k4096.GetProperty("promoted_max_rel_err").GetDouble(),
            k4096.ToString());
        Assert.True(k4096.GetProperty("fp32_max_rel_err").GetDouble() < k4096.GetProperty("promoted_max_rel_err").GetDouble());

        var parity = root.GetProperty("parity");
        Assert.Equal(10, parity.GetProperty("steps").GetInt32());
        Assert.Equal(10, parity.GetProperty("fp8_losses").GetArrayLength());
        Assert.True(double.IsFinite(parity.GetProperty("rel_loss_error").GetDouble()));

        var transport = root.GetProperty("transport");
        Assert.InRange(transport.GetProperty("bytes_ratio").GetDouble(), 0.2, 0.3);
        Assert.InRange(transport.GetProperty("mean_token_kl").GetDouble(), 0, 1e-3);

        var grpo = root.GetProperty("grpo");
        Assert.Equal(1, grpo.GetProperty("steps").GetInt32());
        foreach (var name in new[] { "base_accuracy", "fp32_accuracy", "fp8_accuracy" })
            Assert.InRange(grpo.GetProperty(name).GetDouble(), 0, 1);
        Assert.Contains("GRPO from the FP32-pretrained policy", output);
    }
}
