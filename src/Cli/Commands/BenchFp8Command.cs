using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Output;
using Pipeline.Cli.Workflows;
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
        var quick = new Option<bool>("--quick") { Description = "A short version: 30 pretraining steps, 50 held-out problems, a 16×16 GEMM per K." };
        var steps = new Option<int?>("--steps") { Description = "Pretraining steps of each parity run (default 500, or 30 with --quick)." };
        var command = new Command("fp8",
            "FP8 training with DeepSeek-V3's recipe: accumulation error of a ~14-bit register with and without FP32 promotion, " +
            "the same pretraining in FP32 and FP8 (settings: Pretrain, Corpus, Task), and FP8 checkpoint transport (bytes, per-token KL).")
            { config, set, json, quick, steps };
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(async () =>
        {
            var configuration = PipelineConfiguration.Build(parse.GetValue(config), parse.GetValue(set));
            var runConfig = RunConfigs.From(configuration);
            var corpus = new ArithmeticCorpus(PipelineConfiguration.Bind<CorpusOptions>(configuration, CorpusOptions.Section));
            if (parse.GetValue(steps) is < 10) throw new ArgumentException("--steps must be at least 10 (the loss comparison averages the last 10%)");
            var plan = Fp8BenchmarkPlan.For(parse.GetValue(quick), parse.GetValue(steps));
            var scratch = Directory.CreateTempSubdirectory("pipeline-bench-fp8-").FullName;
            using var services = CommandServices.Build(configuration);
            Fp8BenchmarkResult result;
            try
            {
                result = await Task.Run(() => Fp8Benchmark.Run(plan,
                    () => PipelineConfiguration.Bind<PretrainOptions>(configuration, PretrainOptions.Section),
                    TaskSources.For(runConfig), corpus.Sample, services.GetRequiredService<PolicyEvaluator>(), runConfig.Run.MaxTokens,
                    scratch, line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]"), cancellation), cancellation);
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
