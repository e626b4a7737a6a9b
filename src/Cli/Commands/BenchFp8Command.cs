using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Benchmarks.Fp8;
using Pipeline.Cli.Workflows;
using Pipeline.Orchestration;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
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
        var config = CommonOptions.Config();
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var quick = new Option<bool>("--quick") { Description = "A short version: 30 pretraining steps, 50 held-out problems, a 16×16 GEMM per K, 2 GRPO steps." };
        var steps = new Option<int?>("--steps") { Description = "Pretraining steps of each parity run (default 1000, or 30 with --quick; at least 500 for the parity target)." };
        var grpoSteps = new Option<int?>("--grpo-steps")
        {
            Description = "GRPO steps of each precision's run from the FP32-pretrained policy (default: the Run:Steps setting, or 2 with --quick; 0 skips the GRPO comparison).",
        };
        var command = new Command("fp8",
            "FP8 training with DeepSeek-V3's recipe: accumulation error of a ~14-bit register with and without FP32 promotion, " +
            "the same pretraining in FP32 and FP8 (settings: Pretrain, Corpus, Task), FP8 checkpoint transport (bytes, per-token KL), " +
            "and the same GRPO run with FP32 and FP8 learner GEMMs (settings: Run, Grpo, Rewards).")
            { config, set, json, quick, steps, grpoSteps };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var configuration = PipelineConfiguration.Build(parse.GetValue(config), parse.GetValue(set));
            var runConfig = RunSettings.From(configuration);
            var corpus = new ArithmeticCorpus(PipelineConfiguration.Bind<CorpusOptions>(configuration, CorpusOptions.Section));
            if (parse.GetValue(steps) is < 10) throw new ArgumentException("--steps must be at least 10 (the loss comparison averages the last 10%)");
            if (parse.GetValue(grpoSteps) is < 0) throw new ArgumentException("--grpo-steps must be 0 or more");
            var plan = Fp8BenchmarkPlan.For(parse.GetValue(quick), parse.GetValue(steps), parse.GetValue(grpoSteps));
            var scratch = Directory.CreateTempSubdirectory("pipeline-bench-fp8-").FullName;
            using var services = CommandServices.Build(configuration);
            Fp8BenchmarkResult result;
            try
            {
                void Log(string line) => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]");
                var evaluator = services.GetRequiredService<PolicyEvaluator>();
                var task = TaskSources.For(runConfig);
                result = await Task.Run(() => Fp8Benchmark.Run(plan,
                    () => PipelineConfiguration.Bind<PretrainOptions>(configuration, PretrainOptions.Section),
                    task, corpus.Sample, evaluator, runConfig.Run.MaxTokens, scratch, Log, cancellation), cancellation);
                if (plan.GrpoSteps is not 0)
                {
                    var grpo = await Fp8BenchmarkGrpo.RunAsync(configuration, result.Parity.Fp32Checkpoint, result.Parity.Fp32Accuracy,
                        task.HeldOut.Take(plan.HeldOut).ToArray(), evaluator, plan.GrpoSteps, scratch, Log, cancellation);
                    result = result with { Grpo = grpo };
                }
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            Fp8BenchmarkTables.Write(result);
            await JsonResults.WriteAsync(parse.GetValue(json), result);
            return 0;
        }));
        return command;
    }
}
