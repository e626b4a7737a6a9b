using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Benchmarks;
using Pipeline.Benchmarks.Fp8;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
using Pipeline.Hosting;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;
using Pipeline.Policy.Training;
using Pipeline.Tasks.Arithmetic;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench fp8</c>: DeepSeek-V3's FP8 recipe measured on this machine — the accumulation study,
/// FP32-vs-FP8 pretraining parity and FP8 weight transport — as three tables and JSON.</summary>
public static class BenchFp8Command
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A short version: 30 pretraining steps, 50 held-out problems, a 16×16 GEMM per K, 2 GRPO steps." };
        var steps = new Option<int?>("--steps") { Description = "Pretraining steps of each parity run (default 1000, or 30 with --quick; at least 500 for the parity target)." };
        var grpoSteps = new Option<int?>("--grpo-steps")
        {
            Description = "GRPO steps of each precision's run from the FP32-pretrained policy (default: the Run:Steps setting, or 2 with --quick; 0 skips the GRPO comparison).",
        };
        return PipelineCommand.Create("fp8",
            "FP8 training with DeepSeek-V3's recipe: accumulation error of a ~14-bit register with and without FP32 promotion, " +
            "the same pretraining in FP32 and FP8 (settings: Pretrain, Corpus, Task), FP8 checkpoint transport (bytes, per-token KL), " +
            "and the same GRPO run with FP32 and FP8 learner GEMMs (settings: Run, Grpo, Rewards). Progress goes to standard error.",
            [quick, steps, grpoSteps], async context =>
        {
            var configuration = context.Configuration;
            var runConfig = RunSettings.From(configuration);
            var corpus = new ArithmeticCorpus(OptionsBinding.Bind<CorpusOptions>(configuration, CorpusOptions.Section));
            if (context.Get(steps) is < 10) throw new ArgumentException("--steps must be at least 10 (the loss comparison averages the last 10%)");
            if (context.Get(grpoSteps) is < 0) throw new ArgumentException("--grpo-steps must be 0 or more");
            var plan = Fp8BenchmarkPlan.For(context.Get(quick), context.Get(steps), context.Get(grpoSteps));
            var scratch = Directory.CreateTempSubdirectory("pipeline-bench-fp8-").FullName;
            using var services = CommandServices.Build(configuration);
            var clock = Stopwatch.StartNew();
            void Log(string line) => context.Note($"[{clock.Elapsed.TotalSeconds,5:F0} s] {line}");
            Log($"bench fp8: accumulation study ({Fp8BenchmarkPlan.ReductionLengths.Length} K values), pretraining parity ({plan.Steps} steps " +
                "each in FP32 then FP8, progress every 50 steps), FP8 transport" +
                (plan.GrpoSteps is 0 ? "" : $", then GRPO in each precision ({plan.GrpoSteps?.ToString() ?? $"{runConfig.Run.Steps}"} steps)"));
            Fp8BenchmarkResult result;
            try
            {
                var evaluator = services.GetRequiredService<PolicyEvaluator>();
                var task = TaskSources.For(runConfig);
                result = await Task.Run(() => Fp8Benchmark.RunAsync(plan,
                    () => OptionsBinding.Bind<PretrainOptions>(configuration, PretrainOptions.Section),
                    task, corpus.Sample, evaluator, runConfig.Run.MaxTokens, scratch, Log, context.Cancellation), context.Cancellation);
                if (plan.GrpoSteps is not 0)
                {
                    var grpo = await Fp8BenchmarkGrpo.RunAsync(configuration, result.Parity.Fp32Checkpoint, result.Parity.Fp32Accuracy,
                        task.HeldOut.Take(plan.HeldOut).ToArray(), evaluator, plan.GrpoSteps, scratch, Log, context.Cancellation);
                    result = result with { Grpo = grpo };
                }
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            Log("done");
            result = result with { Machine = MachineDescription.Current() };
            Fp8BenchmarkTables.Write(result, context.Out);
            context.Out.MarkupLineInterpolated($"[grey]machine: {result.Machine.Summary}[/]");
            await context.WriteJsonAsync(result);
            return ExitCodes.Success;
        });
    }
}
