using Spectre.Console;

namespace Pipeline.Benchmarks.Learner;

/// <summary>The tables of <c>pipeline bench learner</c> at one libtorch thread count: the GEMM peak of each shape, then
/// each precision's step.</summary>
public static class LearnerBenchmarkTables
{
    public static void Write(LearnerBenchmarkResult result, IAnsiConsole console)
    {
        var gemm = new Table().Border(TableBorder.Rounded).Title("[bold]libtorch GEMM on this machine[/]")
            .Caption(Markup.Escape(result.Machine.Summary));
        foreach (var column in new[] { "shape", "M×K×N", "dtype", "GFLOP/s" }) gemm.AddColumn(new TableColumn(column).RightAligned());
        foreach (var g in result.Gemm)
            gemm.AddRow(Markup.Escape(g.Label), $"{g.M}×{g.K}×{g.N}", g.Dtype, $"{g.Gflops:F1}");
        console.Write(gemm);

        var b = result.Batch;
        var f = result.Flops;
        var steps = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]GRPO learner step: {b.Prompts}×{b.GroupSize} sequences, {result.Model.Params:N0} parameters, " +
                $"{result.Machine.TorchThreads} libtorch thread(s)[/]")
            .Caption(Markup.Escape(
                $"{b.PromptTokens + b.CompletionTokens:N0} real tokens in {b.MicroBatches} micro-batch(es), {b.PaddedTokens:N0} positions laid out ({b.PaddingFraction:P0} padding); " +
                $"model FLOPs per step {f.Total / 1e9:F2} G without padding (policy fwd {f.PolicyForward / 1e9:F2}, bwd {f.PolicyBackward / 1e9:F2}, " +
                $"reference {f.Reference / 1e9:F2}), {f.PaddedTotal / 1e9:F2} G as computed. MFU = GFLOP/s without padding ÷ the FP32 GEMM peak " +
                $"{result.GemmPeakGflops:F1} GFLOP/s measured above (FP8's GEMMs run in FP32 on dequantised operands here); BF16's MFU is " +
                $"against its own BF16 peak{(result.Bf16Speedup is { } x ? $", and its step is {x:F2}× the FP32 step's speed" : "")}."));
        foreach (var column in new[] { "learner", "step s", "GFLOP/s", "MFU", "padded GFLOP/s", "policy fwd s", "policy bwd s", "reference s", "optimizer s", "batch s", "other s" })
            steps.AddColumn(new TableColumn(column).RightAligned());
        Row(steps, "FP32", result.Fp32);
        Row(steps, "FP8 E4M3", result.Fp8);
        Row(steps, "BF16", result.Bf16);
        console.Write(steps);
        if (!result.Bf16.Available)
            console.MarkupLineInterpolated($"[grey]BF16: not run — {result.Bf16.Unavailable}{(result.Bf16.GemmPeakGflops is { } peak ? $" (its GEMM peak here: {peak:F1} GFLOP/s)" : "")}.[/]");
    }

    static void Row(Table table, string name, LearnerPrecision p)
    {
        if (!p.Available || p.Breakdown is not { } d)
        {
            table.AddRow(name, "not run", "", "", "", "", "", "", "", "", "");
            return;
        }
        table.AddRow(name, $"{p.StepSeconds:F3}", $"{p.LearnerGflops:F1}", $"{p.Mfu:P1}", $"{p.ExecutedGflops:F1}", $"{d.PolicyForward:F3}",
            $"{d.PolicyBackward:F3}", $"{d.Reference:F3}", $"{d.Optimizer:F3}", $"{d.Batch:F3}", $"{d.Other:F3}");
    }
}
