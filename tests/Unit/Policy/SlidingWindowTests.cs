using Pipeline.Policy.Model;
using Pipeline.Policy.Sampling;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

/// <summary>Mistral's sliding window: the mask, and the KV-cached sampler agreeing with one full pass under it.</summary>
[Collection(TorchCollection.Name)]
public sealed class SlidingWindowTests
{
    const float B = AttentionMasks.Blocked;
    static readonly int[][] Prompts = [[1, 40, 41, 42, 43, 44], [1, 50, 51]];

    [Fact]
    public void A_window_of_two_lets_a_query_see_itself_and_the_token_before()
    {
        using var scope = NewDisposeScope();
        // Row 0 is left-padded by one position; row 1 is all real tokens.
        var keyMask = tensor(new[] { false, true, true, true, true, true }, [2, 3]);

        var mask = AttentionMasks.Causal(keyMask, 3, window: 2);

        float[] expected =
        [
            B, B, B,  // row 0, the pad
            B, 0, B,
            B, 0, 0,
            0, B, B,  // row 1
            0, 0, B,
            B, 0, 0,  // position 2 no longer sees position 0
        ];
        Assert.Equal(expected, mask.data<float>().ToArray());
    }

    static CausalLm Policy(string architecture, int? window)
    {
        manual_seed(7);
        return new CausalLm(TinyPolicy.Config with { Architectures = [architecture], SlidingWindow = window });
    }

    [Fact]
    public void Kv_cached_log_probs_equal_one_full_pass_under_the_window_and_the_window_changes_them()
    {
        using var mistral = Policy(PolicyConfig.Mistral, window: 3);
        using var llama = Policy(PolicyConfig.Llama, window: null);
        var samples = new Sampler(mistral).Sample(Prompts, 2, new SamplingParameters(1f, 1f, 10), TinyPolicy.Seeds(3))
            .SelectMany(group => group).ToArray();
        var prompts = Prompts.SelectMany(p => Enumerable.Repeat(p, 2)).ToArray();

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var layout = TokenLayout.Build(prompts, samples.Select(s => s.Tokens).ToArray(), mistral.Config.PadId);
        var windowed = SequenceLogProbs.Compute(mistral, layout).data<float>().ToArray();
        var full = SequenceLogProbs.Compute(llama, layout).data<float>().ToArray();

        double largestChange = 0;
        for (int r = 0; r < samples.Length; r++)
        {
            for (int i = 0; i < samples[r].Tokens.Length; i++)
            {
                float pass = windowed[r * layout.CompletionLength + i];
                Assert.True(Math.Abs(pass - samples[r].LogProbs[i]) <= 1e-4f, $"row {r}, token {i}: sampler {samples[r].LogProbs[i]}, full pass {pass}");
                largestChange = Math.Max(largestChange, Math.Abs(pass - full[r * layout.CompletionLength + i]));
            }
        }
        Assert.True(largestChange > 1e-3, $"a window of 3 over sequences of up to 16 tokens changed no log-prob (largest change {largestChange})");
    }

    [Fact]
    public void A_window_at_least_as_long_as_the_sequence_changes_nothing()
    {
        using var mistral = Policy(PolicyConfig.Mistral, window: 64);
        using var llama = Policy(PolicyConfig.Llama, window: null);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var layout = TokenLayout.Build(Prompts, [[60, 61, 62, 63, 64, 65, 66], [70, 71]], mistral.Config.PadId);
        Assert.Equal(SequenceLogProbs.Compute(llama, layout).data<float>().ToArray(), SequenceLogProbs.Compute(mistral, layout).data<float>().ToArray());
    }

    [Fact]
    public void Qwen2s_per_layer_window_is_refused_by_name()
    {
        var config = TinyPolicy.Config with { Architectures = [PolicyConfig.Qwen2], UseSlidingWindow = true };
        var error = Assert.Throws<InvalidDataException>(config.Validate);
        Assert.Contains("use_sliding_window", error.Message);
    }
}
