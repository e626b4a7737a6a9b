using Spectre.Console;

namespace Pipeline.Benchmarks.Fp8;

/// <summary>The tables of <c>pipeline bench fp8</c>: accumulation, parity, transport and (unless skipped) GRPO.</summary>
public static class Fp8BenchmarkTables
{
    public static void Write(Fp8BenchmarkResult result, IAnsiConsole console)
    {
        var accumulation = new Table().Border(TableBorder.Rounded)
            .Title("[bold]Accumulating FP8 (E4M3) dot products: error against FP64[/]")
            .Caption($"{result.Accumulation[0].Outputs} outputs per K; {result.AccumulationOperands}. " +
                     "14-bit: round to nearest after each add; promoted: 128 products in it, then into FP32; " +
                     "trunc.: the 14-bit register cutting toward zero instead (its promoted variant is in the JSON)");
        foreach (var column in new[] { "K", "14-bit max", "mean", "promoted max", "mean", "FP32 max", "cut", "trunc. max" })
            accumulation.AddColumn(new TableColumn(column).RightAligned());
        foreach (var row in result.Accumulation)
            accumulation.AddRow($"{row.K}", $"{row.LimitedMaxRelErr:0.0e0}", $"{row.LimitedMeanRelErr:0.0e0}", $"{row.PromotedMaxRelErr:0.0e0}",
                $"{row.PromotedMeanRelErr:0.0e0}", $"{row.Fp32MaxRelErr:0.0e0}", $"{row.LimitedMaxRelErr / row.PromotedMaxRelErr:F1}×",
                $"{row.TruncatingMaxRelErr:0.0e0}");
        console.Write(accumulation);

        var p = result.Parity;
        var parity = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]Pretraining parity: {p.Steps} steps, same seed and batches[/]")
            .Caption($"rel. loss error = mean over the last 10% of steps of (fp8 − fp32)/fp32: {p.RelLossError:+0.000%;-0.000%} " +
                     $"(mean |·| {p.MeanAbsRelLossError:0.000%}). Train loss: mean of the last 10% of steps. Held-out: {p.HeldOutProblems} " +
                     "problems, loss of the final master weights with each forward precision, greedy accuracy with FP32 inference. " +
                     "s/step: median of the two alternating on one batch; run s/step: each run's wall time");
        foreach (var column in new[] { "GEMMs", "train loss", "held-out loss, FP32 fwd", "FP8 fwd", "accuracy", "s/step", "run s/step" })
            parity.AddColumn(new TableColumn(column).RightAligned());
        var h = p.HeldOutLoss;
        parity.AddRow("FP32", $"{p.Fp32FinalLoss:F4}", $"{h.Fp32TrainedFp32Forward:F4}", $"{h.Fp32TrainedFp8Forward:F4}", $"{p.Fp32Accuracy:P1}",
            $"{p.Fp32StepSeconds:F2}", $"{p.Fp32RunStepSeconds:F2}");
        parity.AddRow("FP8 E4M3", $"{p.Fp8FinalLoss:F4}", $"{h.Fp8TrainedFp32Forward:F4}", $"{h.Fp8TrainedFp8Forward:F4}", $"{p.Fp8Accuracy:P1}",
            $"{p.Fp8StepSeconds:F2}", $"{p.Fp8RunStepSeconds:F2}");
        console.Write(parity);

        var t = result.Transport;
        var transport = new Table().Border(TableBorder.Rounded)
            .Title("[bold]FP8 weight transport (safetensors-fp8-e4m3-block128)[/]")
            .Caption($"{t.Stored}; KL(fp32 ‖ fp8) over {t.Tokens} tokens of {t.Prompts} held-out prompts' sampled completions");
        foreach (var column in new[] { "checkpoint", "weights bytes", "ratio", "mean token KL", "max token KL", "accuracy" })
            transport.AddColumn(new TableColumn(column).RightAligned());
        transport.AddRow("FP32", $"{t.Fp32Bytes:N0}", "1.00", "", "", $"{t.Fp32Accuracy:P1}");
        transport.AddRow("FP8", $"{t.Fp8Bytes:N0}", $"{t.BytesRatio:F3}", $"{t.MeanTokenKl:E2}", $"{t.MaxTokenKl:E2}", $"{t.TransportedAccuracy:P1}");
        console.Write(transport);

        if (result.Grpo is { } g)
        {
            var grpo = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]GRPO from the FP32-pretrained policy: {g.Steps} steps, learner GEMMs in each precision[/]")
                .Caption($"held-out greedy accuracy ({g.HeldOutProblems} problems, FP32 inference); base {g.BaseAccuracy:P1}; " +
                         $"gain difference FP8 − FP32: {g.GainDifference * 100:+0.0;-0.0} points");
            foreach (var column in new[] { "learner GEMMs", "accuracy", "gain (points)", "wall s" })
                grpo.AddColumn(new TableColumn(column).RightAligned());
            grpo.AddRow("FP32", $"{g.Fp32Accuracy:P1}", $"{g.Fp32Gain * 100:+0.0;-0.0}", $"{g.Fp32Seconds:F0}");
            grpo.AddRow("FP8 E4M3", $"{g.Fp8Accuracy:P1}", $"{g.Fp8Gain * 100:+0.0;-0.0}", $"{g.Fp8Seconds:F0}");
            console.Write(grpo);
        }
    }

}
