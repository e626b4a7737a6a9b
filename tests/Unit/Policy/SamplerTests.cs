using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Model;
using Pipeline.Policy.Sampling;
using Pipeline.Policy.Tokenization;
using Pipeline.Tests.Unit.Policy.HuggingFace;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

[Collection(TorchCollection.Name)]
public sealed class SamplerTests
{
    // Prompts of different lengths, so the batch is left-padded: 6, 2 and 10 tokens.
    static readonly int[][] Prompts =
    [
        PromptTokens.Bytes.ForQuestion("1+2"),
        [ByteTokenizer.Bos, 'x'],
        PromptTokens.Bytes.ForQuestion("123+456"),
    ];

    static IReadOnlyList<SampledSequence> Flatten(IReadOnlyList<IReadOnlyList<SampledSequence>> groups) =>
        groups.SelectMany(group => group).ToArray();

    static void AssertSame(SampledSequence expected, SampledSequence actual, float tolerance)
    {
        Assert.Equal(expected.Tokens, actual.Tokens);
        Assert.Equal(expected.FinishReason, actual.FinishReason);
        Assert.Equal(expected.LogProbs.Length, actual.LogProbs.Length);
        for (int i = 0; i < expected.LogProbs.Length; i++)
            Assert.True(Math.Abs(expected.LogProbs[i] - actual.LogProbs[i]) <= tolerance,
                $"log-prob {i}: {expected.LogProbs[i]} vs {actual.LogProbs[i]}");
    }

    [Fact]
    public void The_same_seeds_give_identical_samples_and_other_seeds_give_other_samples()
    {
        using var policy = TinyPolicy.Create(seed: 1);
        var sampler = new Sampler(policy);
        var parameters = new SamplingParameters(Temperature: 1f, TopP: 1f, MaxTokens: 16);

        var first = Flatten(sampler.Sample(Prompts, 2, parameters, TinyPolicy.Seeds(7)));
        var again = Flatten(sampler.Sample(Prompts, 2, parameters, TinyPolicy.Seeds(7)));
        var other = Flatten(sampler.Sample(Prompts, 2, parameters, TinyPolicy.Seeds(8)));

        Assert.Equal(6, first.Count);
        for (int i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Tokens, again[i].Tokens);
            Assert.Equal(first[i].LogProbs, again[i].LogProbs);
            // 16 draws from a near-uniform distribution over 265 tokens: equal only by a ~265⁻¹⁶ chance.
            Assert.NotEqual(first[i].Tokens, other[i].Tokens);
        }
        // The two samples of one prompt have different seeds, so they differ too.
        Assert.NotEqual(first[0].Tokens, first[1].Tokens);
    }

    [Fact]
    public void A_sample_does_not_depend_on_the_rest_of_its_batch()
    {
        using var policy = TinyPolicy.RandomStoppingEarly(seed: 2);
        var sampler = new Sampler(policy);
        var parameters = new SamplingParameters(Temperature: 1f, TopP: 0.9f, MaxTokens: 12);
        int[] a = Prompts[0], b = Prompts[2];

        // Prompt A (id 40) alone in groups of 2, then after prompt B (id 41) in groups of 3: the seed of
        // (prompt 40, sample g) is the same in both batches, while padding, batch size and finishing rows differ.
        var alone = sampler.Sample([a], 2, parameters, TinyPolicy.Seeds(5, 40));
        var together = sampler.Sample([b, a], 3, parameters, TinyPolicy.Seeds(5, 41, 40));

        for (int g = 0; g < 2; g++) AssertSame(alone[0][g], together[1][g], tolerance: 1e-5f);
        Assert.True(together.SelectMany(group => group).Select(s => s.Tokens.Length).Distinct().Count() > 1,
            "rows should finish at different steps, so that the batch shrinks while A decodes");
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.7f)]
    public void Kv_cached_log_probs_equal_one_full_forward_pass(float temperature)
    {
        // EOS weight 0.5: P(EOS) ≈ 4% a step at temperature 1 and ≈ 10% at 0.7, so some rows stop and some run out.
        using var policy = TinyPolicy.RandomStoppingEarly(seed: 3, eosWeight: 0.5f);
        var samples = Flatten(new Sampler(policy).Sample(Prompts, 3, new SamplingParameters(temperature, 1f, 12), TinyPolicy.Seeds(11)));
        var prompts = Prompts.SelectMany(p => Enumerable.Repeat(p, 3)).ToArray();

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var layout = TokenLayout.Build(prompts, samples.Select(s => s.Tokens).ToArray(), policy.Config.PadId);
        var recomputed = SequenceLogProbs.Compute(policy, layout, temperature).data<float>().ToArray();

        for (int r = 0; r < samples.Count; r++)
        {
            Assert.Equal(samples[r].Tokens.Length, samples[r].LogProbs.Length);
            for (int i = 0; i < samples[r].Tokens.Length; i++)
            {
                float full = recomputed[r * layout.CompletionLength + i];
                Assert.True(Math.Abs(full - samples[r].LogProbs[i]) <= 1e-4f,
                    $"row {r}, token {i}: sampler {samples[r].LogProbs[i]}, full pass {full}");
            }
        }
        // Both ways of ending, and rows dropped from the cache at different steps, were exercised.
        Assert.Contains(samples, s => s.FinishReason == "stop");
        Assert.Contains(samples, s => s.FinishReason == "length");
        Assert.True(samples.Select(s => s.Tokens.Length).Distinct().Count() > 2);
    }

    [Fact]
    public void A_bf16_policy_on_the_cpu_attends_over_an_fp32_cache_and_samples_what_its_full_pass_scores()
    {
        using var policy = TinyPolicy.RandomStoppingEarly(seed: 3, eosWeight: 0.5f);
        policy.MoveTo(CPU, bfloat16);
        Assert.Equal(ScalarType.Float32, policy.CacheDtype);
        using (var cache = policy.NewCache(2, 8))
        using (var noGrad = no_grad())
        {
            using var scope = NewDisposeScope();
            var (keys, values) = cache.Append(0, zeros(2, policy.Config.KeyValueHeads, 1, policy.Config.HeadDim, bfloat16),
                zeros(2, policy.Config.KeyValueHeads, 1, policy.Config.HeadDim, bfloat16));
            Assert.Equal(ScalarType.Float32, keys.dtype);
            Assert.Equal(ScalarType.Float32, values.dtype);
        }

        var samples = Flatten(new Sampler(policy).Sample(Prompts, 3, new SamplingParameters(1f, 1f, 12), TinyPolicy.Seeds(11)));
        var prompts = Prompts.SelectMany(p => Enumerable.Repeat(p, 3)).ToArray();
        using var noGrad2 = no_grad();
        using var scope2 = NewDisposeScope();
        using var layout = TokenLayout.Build(prompts, samples.Select(s => s.Tokens).ToArray(), policy.Config.PadId);
        var recomputed = SequenceLogProbs.Compute(policy, layout, 1f).to(float32).data<float>().ToArray();
        for (int r = 0; r < samples.Count; r++)
        {
            for (int i = 0; i < samples[r].Tokens.Length; i++)
            {
                // Both attend in FP32; their BF16 GEMMs see other shapes (one row at a time, or the whole layout).
                float full = recomputed[r * layout.CompletionLength + i];
                Assert.True(Math.Abs(full - samples[r].LogProbs[i]) <= 0.05f + 0.02f * Math.Abs(full),
                    $"row {r}, token {i}: sampler {samples[r].LogProbs[i]}, full pass {full}");
            }
        }
    }

    [Fact]
    public void Greedy_decoding_picks_the_argmax_of_a_direct_forward_pass()
    {
        using var policy = TinyPolicy.Create(seed: 4);

        var groups = new Sampler(policy).Sample(Prompts, 2, new SamplingParameters(Temperature: 0f, MaxTokens: 5), TinyPolicy.Seeds(1));

        for (int p = 0; p < Prompts.Length; p++)
        {
            var logProbs = TinyPolicy.NextTokenLogProbs(policy, Prompts[p]);
            int argmax = Array.IndexOf(logProbs, logProbs.Max());
            Assert.Equal(argmax, groups[p][0].Tokens[0]);
            Assert.True(Math.Abs(logProbs[argmax] - groups[p][0].LogProbs[0]) <= 1e-5f);
            // Seeds play no part in greedy decoding.
            Assert.Equal(groups[p][0].Tokens, groups[p][1].Tokens);
        }
    }

    [Fact]
    public void A_tiny_top_p_samples_exactly_what_greedy_decoding_picks()
    {
        using var policy = TinyPolicy.Create(seed: 5);
        var sampler = new Sampler(policy);

        var greedy = Flatten(sampler.Sample(Prompts, 2, new SamplingParameters(Temperature: 0f, MaxTokens: 10), TinyPolicy.Seeds(3)));
        var nucleus = Flatten(sampler.Sample(Prompts, 2, new SamplingParameters(Temperature: 1f, TopP: 1e-6f, MaxTokens: 10), TinyPolicy.Seeds(3)));

        // At temperature 1 the recorded log-probs are those of the same unscaled distribution.
        for (int i = 0; i < greedy.Count; i++) AssertSame(greedy[i], nucleus[i], tolerance: 1e-6f);
    }

    [Fact]
    public void Reaching_max_tokens_finishes_with_length_and_exactly_max_tokens_tokens()
    {
        // EOS logit −100, all others 0: every token is uniform over the 264 others.
        using var policy = TinyPolicy.Constant(eosLogit: -100f);

        var samples = Flatten(new Sampler(policy).Sample(Prompts, 2, new SamplingParameters(MaxTokens: 7), TinyPolicy.Seeds(2)));

        foreach (var sample in samples)
        {
            Assert.Equal("length", sample.FinishReason);
            Assert.Equal(7, sample.Tokens.Length);
            Assert.DoesNotContain(ByteTokenizer.Eos, sample.Tokens);
            Assert.All(sample.LogProbs, lp => Assert.Equal(-Math.Log(264), lp, 1e-5));
        }
    }

    [Fact]
    public void Sampling_eos_finishes_with_stop_and_eos_as_the_last_token()
    {
        // EOS logit ln 264 against 264 zeros: P(EOS) = 1/2 at every step, 1/528 for each other token.
        using var policy = TinyPolicy.Constant(eosLogit: (float)Math.Log(264));

        var samples = Flatten(new Sampler(policy).Sample(Prompts, 4, new SamplingParameters(MaxTokens: 40), TinyPolicy.Seeds(9)));

        foreach (var sample in samples)
        {
            Assert.Equal("stop", sample.FinishReason);
            Assert.Equal(ByteTokenizer.Eos, sample.Tokens[^1]);
            Assert.DoesNotContain(ByteTokenizer.Eos, sample.Tokens[..^1]);
            Assert.Equal(Math.Log(0.5), sample.LogProbs[^1], 1e-4);
            Assert.All(sample.LogProbs[..^1], lp => Assert.Equal(Math.Log(0.5 / 264), lp, 1e-4));
        }
        Assert.True(samples.Select(s => s.Tokens.Length).Distinct().Count() > 1);
    }

    [Fact]
    public void Eos_on_the_last_allowed_token_is_a_stop()
    {
        using var policy = TinyPolicy.Constant(eosLogit: 100f);

        var sample = new Sampler(policy).Sample([Prompts[0]], 1, new SamplingParameters(MaxTokens: 1), TinyPolicy.Seeds(1))[0][0];

        Assert.Equal([ByteTokenizer.Eos], sample.Tokens);
        Assert.Equal("stop", sample.FinishReason);
    }

    [Theory]
    [InlineData(-0.1f, 1f, 4)]
    [InlineData(1f, 0f, 4)]
    [InlineData(1f, 1.5f, 4)]
    [InlineData(1f, 1f, 0)]
    public void Invalid_parameters_are_rejected(float temperature, float topP, int maxTokens)
    {
        using var policy = TinyPolicy.Create(seed: 6);

        Assert.Throws<ArgumentException>(() =>
            new Sampler(policy).Sample(Prompts, 1, new SamplingParameters(temperature, topP, maxTokens), TinyPolicy.Seeds(1)));
    }

    [Fact]
    public void Sample_seeds_depend_on_every_part_of_the_key_and_nothing_else()
    {
        ulong seed = SampleSeeds.Derive(1, 2, 3, 4);

        Assert.Equal(seed, SampleSeeds.Derive(1, 2, 3, 4));
        var others = new[] { SampleSeeds.Derive(2, 2, 3, 4), SampleSeeds.Derive(1, 3, 3, 4), SampleSeeds.Derive(1, 2, 4, 4), SampleSeeds.Derive(1, 2, 3, 5) };
        Assert.DoesNotContain(seed, others);
        Assert.Equal(4, others.Distinct().Count());
    }

    [Fact]
    public void A_stop_text_ends_the_completion_at_the_token_that_completes_it_and_is_kept()
    {
        // stories260K greedily writes "Once upon a time, there was a little girl named Lily." from bos; "girl" may be
        // spelled by one token or several, and "e g" straddles a token boundary.
        using var policy = Checkpoint.Load(Stories260K.Directory);
        var sampler = new Sampler(policy);
        var free = sampler.Sample([[Stories260K.Bos]], 1, new SamplingParameters(Temperature: 0f, MaxTokens: 16), TinyPolicy.Seeds(1))[0][0];

        foreach (var stop in new[] { "little girl", "e g", "Lily." })
        {
            int end = Enumerable.Range(1, free.Tokens.Length).First(i => policy.Tokenizer.Decode(free.Tokens[..i]).Contains(stop));

            var stopped = sampler.Sample([[Stories260K.Bos]], 1, new SamplingParameters(Temperature: 0f, MaxTokens: 16) { StopSequences = ["never", stop] }, TinyPolicy.Seeds(1))[0][0];

            Assert.Equal(free.Tokens[..end], stopped.Tokens);
            Assert.Equal("stop", stopped.FinishReason);
            Assert.Contains(stop, policy.Tokenizer.Decode(stopped.Tokens));
        }
    }
}
