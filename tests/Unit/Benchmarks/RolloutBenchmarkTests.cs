using Pipeline.Benchmarks.Rollout;
using Pipeline.Policy.Sampling;
using Pipeline.Policy.Tokenization;
using Pipeline.Tests.Unit.Policy;

namespace Pipeline.Tests.Unit.Benchmarks;

[Collection(TorchCollection.Name)]
public sealed class RolloutBenchmarkTests
{
    [Fact]
    public void The_flop_limit_fraction_is_two_flops_per_parameter_per_token_over_the_peak()
    {
        // 1,000 tokens/s · 2 · 1,000,000 parameters = 2 GFLOP/s, of a 100 GFLOP/s peak.
        Assert.Equal(0.02, RolloutBenchmark.FlopLimitFraction(1_000, 1_000_000, 100), 12);
    }

    [Fact]
    public void Repeated_timings_keep_the_fastest_call_and_the_last_value()
    {
        int calls = 0;
        int[] sleeps = [60, 1, 60];
        var (value, seconds) = RolloutBenchmark.Fastest(3, () =>
        {
            Thread.Sleep(sleeps[calls]);
            return ++calls;
        });
        Assert.Equal(3, calls);
        Assert.Equal(3, value);
        Assert.InRange(seconds, 0.001, 0.05);

        calls = 0;
        RolloutBenchmark.Fastest(0, () => ++calls);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void The_no_cache_sampler_draws_what_the_kv_cache_sampler_draws_from_the_same_seeds()
    {
        using var policy = TinyPolicy.Create(seed: 3);
        policy.eval();
        int[][] prompts = [PromptTokens.Bytes.ForQuestion("12+5"), PromptTokens.Bytes.ForQuestion("7+700")];
        var parameters = new SamplingParameters(1f, 0.9f, 12);
        ulong Seed(int prompt, int sample) => SampleSeeds.Derive(4, 0, prompt, sample);

        var cached = new Sampler(policy).Sample(prompts, 3, parameters, Seed);
        var recomputed = new NoCacheSampler(policy).Sample(prompts, 3, parameters, Seed);

        for (int p = 0; p < prompts.Length; p++)
            for (int g = 0; g < 3; g++)
            {
                Assert.Equal(cached[p][g].Tokens, recomputed[p][g].Tokens);
                Assert.Equal(cached[p][g].FinishReason, recomputed[p][g].FinishReason);
                for (int t = 0; t < cached[p][g].LogProbs.Length; t++)
                    Assert.Equal(cached[p][g].LogProbs[t], recomputed[p][g].LogProbs[t], 1e-4f);
            }
    }
}
