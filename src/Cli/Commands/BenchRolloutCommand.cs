using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Pipeline.Benchmarks;
using Pipeline.Benchmarks.Rollout;
using Pipeline.Cli.Hosting;
using Pipeline.Hosting;
using Pipeline.Learner.Runs;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Sampling;
using Pipeline.Policy.Training;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline bench rollout</c>: the KV-cache sampler against full recomputation on the same prompts and
/// seeds at 1, 16 and 128 sequences, and against the FLOP limit of libtorch's GEMM peak measured in the same run.</summary>
public static class BenchRolloutCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A short version for tests: 1 and 8 sequences of at most 8 tokens, brief GEMM timings." };
        var policy = new Option<DirectoryInfo?>("--policy")
        {
            Description = "The policy to sample (default: a new one of the Pretrain settings' shape; an untrained policy rarely samples eos, so every sequence runs to Run:MaxTokens).",
        };
        return PipelineCommand.Create("rollout",
            "Tokens/s of the rollout sampler with its KV cache and group prefix sharing against the same sampling recomputing every sequence " +
            "for each token, on the same prompts and seeds (settings: Run:GroupSize, MaxTokens, Temperature, TopP, Seed; Pretrain; Policy), " +
            "and the share of the FLOP limit (2·params FLOPs per token at the GEMM peak of Policy:ComputeDtype measured in this run); where the CPU " +
            "has BF16 units, FP32 against BF16 sampling at the largest batch: tokens/s and the per-token KL between the BF16 rollout and the BF16-GEMM learner.",
            [quick, policy], async context =>
        {
            var configuration = context.Configuration;
            var settings = RunSettings.From(configuration);
            var placement = OptionsBinding.Bind<PolicyOptions>(configuration, PolicyOptions.Section);
            if (placement.Device != "cpu") throw new ArgumentException("bench rollout times the CPU only (Policy:Device=cpu): a GPU's calls return before its kernels finish");
            var threadCounts = BenchmarkThreads.Counts(configuration.GetValue<int>("Rollout:TorchThreads"), Environment.ProcessorCount);
            var plan = RolloutBenchmarkPlan.For(context.Get(quick), settings.Run.GroupSize, settings.Run.MaxTokens);
            var scratch = Directory.CreateTempSubdirectory("pipeline-bench-rollout-").FullName;
            var clock = Stopwatch.StartNew();
            void Log(string line) => context.Note($"[{clock.Elapsed.TotalSeconds,5:F0} s] {line}");
            IReadOnlyList<RolloutBenchmarkResult> results;
            try
            {
                var directory = context.Get(policy)?.FullName
                    ?? BenchmarkPolicy.Fresh(OptionsBinding.Bind<PretrainOptions>(configuration, PretrainOptions.Section), Path.Combine(scratch, "policy"));
                using var sampled = placement.ForInference(Checkpoint.Load(directory));
                sampled.eval();
                Log($"bench rollout: {string.Join(", ", plan.Sequences)} sequences of {plan.MaxTokens} tokens at most, {Benchmarks.Gemm.GemmProbe.DtypeName(sampled.ComputeDtype)}, policy {directory}");
                var task = TaskSources.For(settings);
                results = await BenchmarkThreads.EachAsync(threadCounts, "bench rollout", threads =>
                {
                    Log($"libtorch threads: {threads} of {Environment.ProcessorCount} processors");
                    var measured = RolloutBenchmark.Run(plan, sampled, task, settings.Run.Temperature, settings.Run.TopP, settings.Run.Seed, Log, context.Cancellation);
                    // FP32 against BF16 at the first thread count only: it is about precision more than threads.
                    return !measured.Machine.HasBf16 || threads != threadCounts[0]
                        ? measured
                        : measured with
                        {
                            Bf16 = RolloutPrecisionComparison.Run(directory, task, plan.Sequences.Max(), plan.GroupSize,
                                new SamplingParameters(settings.Run.Temperature, settings.Run.TopP, plan.MaxTokens), settings.Run.Seed, Log, plan.KvRepeats),
                        };
                });
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            var result = results[0] with { AllCores = results.Count > 1 ? results[1] : null };
            RolloutBenchmarkTables.Write(result, context.Out);
            if (result.AllCores is { } allCores) RolloutBenchmarkTables.Write(allCores, context.Out);
            await context.WriteJsonAsync(result);
            return ExitCodes.Success;
        });
    }
}
