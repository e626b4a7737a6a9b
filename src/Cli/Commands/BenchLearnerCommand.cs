using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Pipeline.Benchmarks;
using Pipeline.Benchmarks.Learner;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Workflows;
using Pipeline.Hosting;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Policy.Training;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench learner</c>: the GRPO learner step's model FLOP/s against libtorch's GEMM peak measured
/// in the same run (MFU), for FP32 and FP8 linear layers, with the step's time split by phase.</summary>
public static class BenchLearnerCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A short version for tests: 2 prompts × 4 samples of at most 16 tokens, 1 timed step, brief GEMM timings." };
        var policy = new Option<DirectoryInfo?>("--policy")
        {
            Description = "The base policy to train (default: a new one of the Pretrain settings' shape — what a step costs depends on the shape, not the weights).",
        };
        return PipelineCommand.Create("learner",
            "MFU of the GRPO learner: FP32 (and BF16 where the CPU has it) GEMM peak at the model's shapes and a large square, then the real " +
            "training step on a fixed batch of the demo's size (settings: Run, Grpo, Pretrain, Policy) in FP32 and FP8: model GFLOP/s with " +
            "and without padding, MFU, and the time of the policy's forward and backward passes, the reference and the optimizer.",
            [quick, policy], async context =>
        {
            var configuration = context.Configuration;
            var settings = RunSettings.From(configuration);
            var placement = OptionsBinding.Bind<PolicyOptions>(configuration, PolicyOptions.Section);
            if (placement.Device != "cpu") throw new ArgumentException("bench learner times the CPU only (Policy:Device=cpu): a GPU's calls return before its kernels finish");
            var threadCounts = BenchmarkThreads.Counts(configuration.GetValue<int>("Learner:TorchThreads"), Environment.ProcessorCount);
            var plan = LearnerBenchmarkPlan.For(context.Get(quick), settings.Run);
            var task = TaskSources.For(settings);
            var scratch = Directory.CreateTempSubdirectory("pipeline-bench-learner-").FullName;
            var clock = Stopwatch.StartNew();
            void Log(string line) => context.Note($"[{clock.Elapsed.TotalSeconds,5:F0} s] {line}");
            IReadOnlyList<LearnerBenchmarkResult> results;
            try
            {
                var basePolicy = context.Get(policy)?.FullName
                    ?? BenchmarkPolicy.Fresh(OptionsBinding.Bind<PretrainOptions>(configuration, PretrainOptions.Section), Path.Combine(scratch, "base"));
                Log($"bench learner: {plan.Prompts}×{plan.GroupSize} sequences of at most {plan.MaxTokens} completion tokens, policy {basePolicy}");
                results = await BenchmarkThreads.EachAsync(threadCounts, "bench learner", threads =>
                {
                    Log($"libtorch threads: {threads} of {Environment.ProcessorCount} processors");
                    return LearnerBenchmark.Run(plan, settings, placement, basePolicy, task, PretrainingCorpus.For(task, configuration).Sample, Log,
                        context.Cancellation);
                });
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            var result = results[0] with { AllCores = results.Count > 1 ? results[1] : null };
            LearnerBenchmarkTables.Write(result, context.Out);
            if (result.AllCores is { } allCores) LearnerBenchmarkTables.Write(allCores, context.Out);
            await context.WriteJsonAsync(result);
            return ExitCodes.Success;
        });
    }
}
