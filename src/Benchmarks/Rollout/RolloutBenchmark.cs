using System.Diagnostics;
using Pipeline.Benchmarks.Gemm;
using Pipeline.Policy.Model;
using Pipeline.Policy.Sampling;
using Pipeline.Tasks;
using static TorchSharp.torch;

namespace Pipeline.Benchmarks.Rollout;

/// <summary>What <c>pipeline bench rollout</c> measures and how much of it.</summary>
/// <param name="Sequences">batch sizes in sampled rows</param>
/// <param name="GroupSize">samples per prompt (Run:GroupSize); a batch it does not divide takes the largest group size
/// that divides both</param>
/// <param name="MaxTokens">the completion-token budget (Run:MaxTokens)</param>
/// <param name="GemmSeconds">time spent on each GEMM shape</param>
/// <param name="SquareSide">the side of the large square GEMM</param>
/// <param name="KvRepeats">timed calls of the KV sampler per batch; the fastest counts (a call is a fraction of a
/// second, so one garbage collection or a neighbour's burst on a shared machine moved single timings by 20 %)</param>
public sealed record RolloutBenchmarkPlan(int[] Sequences, int GroupSize, int MaxTokens, double GemmSeconds, int SquareSide, bool Quick,
    int KvRepeats = 1)
{
    public static RolloutBenchmarkPlan For(bool quick, int groupSize, int maxTokens) => quick
        ? new([1, 8], Math.Min(groupSize, 4), Math.Min(maxTokens, 8), 0.02, 256, true)
        : new([1, 16, 128], groupSize, maxTokens, 0.5, 2048, false, KvRepeats: 3);
}

/// <summary>
/// The rollout sampler against recomputation and against the machine's FLOP limit, in one process: the real KV-cache
/// <see cref="Sampler"/> and <see cref="NoCacheSampler"/> on the same prompts (the task's first held-out problems)
/// with the same seeds at each batch size, and libtorch's GEMM peak (in the dtype the policy computes in) measured in the
/// same run at the model's decode
/// and prefill shapes and a large square. Tokens per second count sampled tokens over the whole call, prefill
/// included; the KV sampler runs each batch once untimed first (its call is short enough for libtorch's first use of a
/// shape to show) and then <see cref="RolloutBenchmarkPlan.KvRepeats"/> times, the fastest counting; the no-cache
/// sampler is warmed up once and timed once (its calls are seconds long).
/// </summary>
public static class RolloutBenchmark
{
    public static RolloutBenchmarkResult Run(RolloutBenchmarkPlan plan, CausalLm policy, ITaskSource task, float temperature, float topP,
        long seed, Action<string> log, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var machine = MachineDescription.Current();
        long parameters = policy.parameters().Sum(p => p.numel());
        var shapes = GemmProbe.ModelShapes(policy.Config, plan.Sequences.Max(), "decode")
            .Concat(GemmProbe.ModelShapes(policy.Config, 2048, "prefill"))
            .Append(GemmProbe.Square(plan.SquareSide)).ToArray();
        log($"GEMM peak: {shapes.Length} shapes in {GemmProbe.DtypeName(policy.ComputeDtype)}, the dtype the policy samples in");
        var peak = GemmProbe.Measure(shapes, policy.ComputeDtype, plan.GemmSeconds, cancellation);

        var sampling = new SamplingParameters(temperature, topP, plan.MaxTokens);
        var kv = new Sampler(policy);
        var nocache = new NoCacheSampler(policy);
        var warmUp = new SamplingParameters(temperature, topP, Math.Min(4, plan.MaxTokens));
        var warmUpPrompt = new[] { policy.Prompts.ForQuestion(task.HeldOut[0].Question) };
        kv.Sample(warmUpPrompt, 1, warmUp, (_, _) => 0);
        nocache.Sample(warmUpPrompt, 1, warmUp, (_, _) => 0);

        var batches = plan.Sequences.Select(sequences =>
        {
            cancellation.ThrowIfCancellationRequested();
            var (prompts, group) = Prompts(policy, task, sequences, plan.GroupSize);
            ulong Seed(int prompt, int sample) => SampleSeeds.Derive(seed, sequences, prompt, sample);

            log($"{sequences} sequences ({prompts.Length} prompts × {group}): KV cache, once untimed and {plan.KvRepeats} timed");
            kv.Sample(prompts, group, sampling, Seed); // libtorch picks and caches its kernels per shape on first use
            var (kvSamples, kvSeconds) = Fastest(plan.KvRepeats, () => kv.Sample(prompts, group, sampling, Seed));
            log($"{sequences} sequences: no cache");
            var (nocacheSamples, nocacheSeconds) = Timed(() => nocache.Sample(prompts, group, sampling, Seed));

            long kvTokens = Tokens(kvSamples), nocacheTokens = Tokens(nocacheSamples);
            double kvRate = kvTokens / kvSeconds, nocacheRate = nocacheTokens / nocacheSeconds;
            var pairs = kvSamples.SelectMany(g => g).Zip(nocacheSamples.SelectMany(g => g));
            double identical = pairs.Count(p => p.First.Tokens.AsSpan().SequenceEqual(p.Second.Tokens)) / (double)sequences;
            return new RolloutBatch(sequences, prompts.Length, group, kvRate, nocacheRate, kvRate / nocacheRate,
                FlopLimitFraction(kvRate, parameters, peak.PeakGflops), kvTokens, nocacheTokens, kvSeconds, nocacheSeconds, identical);
        }).ToArray();

        return new RolloutBenchmarkResult(machine, GemmProbe.DtypeName(policy.ComputeDtype), peak.PeakGflops, parameters, batches, plan.MaxTokens, temperature, topP, peak.Shapes,
            plan.Quick, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The first held-out prompts for a batch of exactly <paramref name="sequences"/> rows in whole groups: the
    /// group size, or the largest one that divides both.</summary>
    public static (int[][] Prompts, int GroupSize) Prompts(CausalLm policy, ITaskSource task, int sequences, int groupSize)
    {
        int group = (int)System.Numerics.BigInteger.GreatestCommonDivisor(groupSize, sequences);
        var prompts = task.HeldOut.Take(sequences / group).Select(p => policy.Prompts.ForQuestion(p.Question)).ToArray();
        if (prompts.Length * group != sequences) throw new ArgumentException($"the task has fewer than {sequences / group} held-out problems");
        return (prompts, group);
    }

    /// <summary>The share of the GEMM peak a token rate would use at 2 FLOPs per parameter per token (Kaplan et al.
    /// 2020's forward cost, attention left out): 1 means the sampler could go no faster without a faster GEMM.</summary>
    public static double FlopLimitFraction(double tokensPerSecond, long parameters, double peakGflops) =>
        tokensPerSecond * 2.0 * parameters / (peakGflops * 1e9);

    internal static long Tokens(IReadOnlyList<IReadOnlyList<SampledSequence>> groups) => groups.Sum(g => g.Sum(s => (long)s.Tokens.Length));

    internal static (T Value, double Seconds) Timed<T>(Func<T> action)
    {
        var clock = Stopwatch.StartNew();
        var value = action();
        return (value, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Times <paramref name="action"/> <paramref name="repeats"/> times (at least once): the last value and the
    /// shortest time. For work that is the same every call (a sampler with fixed seeds), the fastest call is the one
    /// least disturbed by the rest of the machine.</summary>
    public static (T Value, double Seconds) Fastest<T>(int repeats, Func<T> action)
    {
        var (value, seconds) = Timed(action);
        for (int i = 1; i < repeats; i++)
        {
            var (next, time) = Timed(action);
            (value, seconds) = (next, Math.Min(seconds, time));
        }
        return (value, seconds);
    }
}
