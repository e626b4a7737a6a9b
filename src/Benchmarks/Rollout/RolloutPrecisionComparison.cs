using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Policy.Sampling;
using Pipeline.Tasks;

namespace Pipeline.Benchmarks.Rollout;

/// <summary>FP32 against BF16 rollout at one batch size, in one run: tokens per second of the KV-cache sampler with
/// the policy in each dtype (same prompts, same seeds; each once untimed first, then the fastest of the timed calls), and how far the BF16 rollout policy's next-token distributions
/// stray from the learner's that trains on its samples (FP32 master weights, BF16 GEMMs): the per-token KL(rollout ‖
/// learner) along the BF16 samples, teacher-forced.</summary>
/// <param name="Bf16Speedup">BF16 ÷ FP32 tokens per second</param>
public sealed record RolloutPrecision(int Sequences, double Fp32TokensPerSecond, double Bf16TokensPerSecond, double Bf16Speedup,
    double MeanKl, double MaxKl, int Tokens);

public static class RolloutPrecisionComparison
{
    /// <param name="repeats">timed calls of each sampler; the fastest counts</param>
    public static RolloutPrecision Run(string directory, ITaskSource task, int sequences, int groupSize, SamplingParameters sampling,
        long seed, Action<string> log, int repeats = 1)
    {
        var fp32 = new PolicyOptions { ComputeDtype = "float32" };
        var bf16 = new PolicyOptions { ComputeDtype = "bfloat16" };
        using var fp32Policy = fp32.ForInference(Checkpoint.Load(directory));
        using var bf16Policy = bf16.ForInference(Checkpoint.Load(directory));
        using var learner = bf16.ForTraining(Checkpoint.Load(directory, precision: bf16.TrainingPrecision(LinearPrecision.Fp32)));
        fp32Policy.eval();
        bf16Policy.eval();
        learner.eval();

        var (prompts, group) = RolloutBenchmark.Prompts(fp32Policy, task, sequences, groupSize);
        ulong Seed(int prompt, int sample) => SampleSeeds.Derive(seed, sequences, prompt, sample);
        double Rate(CausalLm policy, out IReadOnlyList<IReadOnlyList<SampledSequence>> samples)
        {
            var sampler = new Sampler(policy);
            sampler.Sample(prompts, group, sampling, Seed);
            var (sampled, seconds) = RolloutBenchmark.Fastest(repeats, () => sampler.Sample(prompts, group, sampling, Seed));
            samples = sampled;
            return RolloutBenchmark.Tokens(sampled) / seconds;
        }

        log($"{sequences} sequences: KV cache in FP32, then in BF16");
        double fp32Rate = Rate(fp32Policy, out _);
        double bf16Rate = Rate(bf16Policy, out var bf16Samples);
        log($"{sequences} sequences: KL(BF16 rollout ‖ BF16-GEMM learner) along the BF16 samples");
        var rows = bf16Samples.SelectMany((g, p) => g.Select(s => (Prompt: prompts[p], Completion: s.Tokens))).Where(r => r.Completion.Length > 0).ToArray();
        var kl = PolicyDivergence.Measure(bf16Policy, learner, rows.Select(r => r.Prompt).ToArray(), rows.Select(r => r.Completion).ToArray());
        return new RolloutPrecision(sequences, fp32Rate, bf16Rate, bf16Rate / fp32Rate, kl.Mean, kl.Max, kl.Tokens);
    }
}
