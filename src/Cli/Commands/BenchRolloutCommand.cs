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
            TorchRuntime.Configure(configuration.GetValue<int>("Rollout:TorchThreads"));
            var plan = RolloutBenchmarkPlan.For(context.Get(quick), settings.Run.GroupSize, settings.Run.MaxTokens);
            var scratch = Directory.CreateTempSubdirectory("pipeline-bench-rollout-").FullName;
            var clock = Stopwatch.StartNew();
            void Log(string line) => context.Note($"[{clock.Elapsed.TotalSeconds,5:F0} s] {line}");
            RolloutBenchmarkResult result;
            try
            {
                var directory = context.Get(policy)?.FullName
                    ?? BenchmarkPolicy.Fresh(OptionsBinding.Bind<PretrainOptions>(configuration, PretrainOptions.Section), Path.Combine(scratch, "policy"));
                using var sampled = placement.ForInference(Checkpoint.Load(directory));
                sampled.eval();
                Log($"bench rollout: {string.Join(", ", plan.Sequences)} sequences of {plan.MaxTokens} tokens at most, {Benchmarks.Gemm.GemmProbe.DtypeName(sampled.ComputeDtype)}, policy {directory}");
                var task = TaskSources.For(settings);
                result = await Task.Run(() => RolloutBenchmark.Run(plan, sampled, task, settings.Run.Temperature, settings.Run.TopP,
                    settings.Run.Seed, Log, context.Cancellation), context.Cancellation);
                if (result.Machine.HasBf16)
                    result = result with
                    {
                        Bf16 = await Task.Run(() => RolloutPrecisionComparison.Run(directory, task, plan.Sequences.Max(), plan.GroupSize,
                            new SamplingParameters(settings.Run.Temperature, settings.Run.TopP, plan.MaxTokens), settings.Run.Seed, Log, plan.KvRepeats), context.Cancellation),
                    };
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
            RolloutBenchmarkTables.Write(result, context.Out);
            await context.WriteJsonAsync(result);
            return ExitCodes.Success;
        });
    }
}
