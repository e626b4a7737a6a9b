using Spectre.Console;

namespace Pipeline.Benchmarks.Rollout;

/// <summary>The table of <c>pipeline bench rollout</c>: each batch size's token rates and what they are of the limit.</summary>
public static class RolloutBenchmarkTables
{
    public static void Write(RolloutBenchmarkResult result, IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]Sampling {result.MaxTokens} tokens per sequence: KV cache vs full recompute, {result.Params:N0} parameters, " +
                $"{result.Machine.TorchThreads} libtorch thread(s)[/]")
            .Caption(Markup.Escape(
                $"{result.Machine.Summary}. Same prompts and seeds for both; temperature {result.Temperature:0.##}, top-p {result.TopP:0.##}. " +
                $"Sampling in {result.ComputeDtype}. FLOP limit: KV tokens/s × 2·params ÷ the {result.ComputeDtype} GEMM peak {result.GemmPeakGflops:F1} GFLOP/s measured in this run " +
                $"(best of {result.Gemm.Count} shapes). Same tokens: samples both drew alike."));
        foreach (var column in new[] { "sequences", "prompts × G", "KV tokens/s", "no-cache tokens/s", "KV speed-up", "of FLOP limit", "KV s", "no-cache s", "same tokens" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var b in result.Batches)
            table.AddRow($"{b.Sequences}", $"{b.Prompts} × {b.GroupSize}", $"{b.KvTokensPerSecond:N0}", $"{b.NocacheTokensPerSecond:N0}", $"{b.KvSpeedup:F1}×",
                $"{b.FlopLimitFraction:P1}", $"{b.KvSeconds:F2}", $"{b.NocacheSeconds:F2}", $"{b.IdenticalSequences:P0}");
        console.Write(table);
        if (result.Bf16 is { } p)
            console.WriteLine(
                $"FP32 vs BF16 sampling, {p.Sequences} sequences: {p.Fp32TokensPerSecond:N0} vs {p.Bf16TokensPerSecond:N0} tokens/s ({p.Bf16Speedup:F2}×); " +
                $"KL(BF16 rollout ‖ BF16-GEMM learner) per token: mean {p.MeanKl:G3}, max {p.MaxKl:G3} over {p.Tokens:N0} tokens.");
    }
}
