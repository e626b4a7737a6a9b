using Pipeline.Policy;
using Pipeline.Policy.Model;
using Pipeline.Policy.Sampling;
using Pipeline.Policy.Tokenization;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

/// <summary>Tests that build models share libtorch's global generator; one collection runs them one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class TorchCollection : ICollectionFixture<SingleThreadedTorch>
{
    public const string Name = "torch";
}

/// <summary>One intra-op thread: these models are tiny, and on a busy two-core machine libtorch's OpenMP workers
/// spin against other processes, making each test several times slower than on one thread.</summary>
public sealed class SingleThreadedTorch
{
    public SingleThreadedTorch() => TorchRuntime.Configure(threads: 1);
}

/// <summary>Tiny policies for fast tests: hidden 32, 2 layers, 2 heads.</summary>
static class TinyPolicy
{
    public static PolicyConfig Config => CausalLm.DefaultConfig() with
    {
        HiddenSize = 32,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        IntermediateSize = 64,
        MaxPositionEmbeddings = 128,
    };

    /// <summary>A randomly initialised policy, seeded.</summary>
    public static CausalLm Create(long seed)
    {
        manual_seed(seed);
        return new CausalLm(Config);
    }

    /// <summary>A random policy whose EOS logit is pushed up by about <c>4 · eosWeight</c>, so that samples stop at
    /// varied lengths: column 0 of every embedding gets +10, which dominates the residual stream, so the final
    /// normalised hidden state has a large positive component 0 (≈ 4.9), and the EOS row of lm_head reads it.</summary>
    public static CausalLm RandomStoppingEarly(long seed, float eosWeight = 0.8f)
    {
        var policy = Create(seed);
        using var noGrad = no_grad();
        var parameters = Parameters(policy);
        parameters["model.embed_tokens.weight"].select(1, 0).add_(10f);
        parameters["lm_head.weight"].select(0, ByteTokenizer.Eos).select(0, 0).fill_(eosWeight);
        return policy;
    }

    /// <summary>A policy whose next-token logits are 0 for every token but EOS, whose logit is
    /// <paramref name="eosLogit"/>, whatever the context: the blocks' output projections are zero (so the residual
    /// stream is the embedding), every embedding is e₀, the final norm maps e₀ to h₀·e₀ with
    /// h₀ = 1/√(1/32 + ε), and lm_head reads only the EOS row's component 0.</summary>
    public static CausalLm Constant(float eosLogit)
    {
        var policy = Create(seed: 1);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in Parameters(policy))
        {
            if (name.EndsWith("o_proj.weight") || name.EndsWith("down_proj.weight")) parameter.zero_();
        }
        var parameters = Parameters(policy);
        parameters["model.embed_tokens.weight"].zero_().select(1, 0).fill_(1f);
        double h0 = 1.0 / Math.Sqrt(1.0 / policy.Config.HiddenSize + policy.Config.RmsNormEps);
        parameters["lm_head.weight"].zero_().select(0, ByteTokenizer.Eos).select(0, 0).fill_(eosLogit / h0);
        return policy;
    }

    /// <summary>Same shape and bit-for-bit equal elements.</summary>
    public static bool Identical(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static Dictionary<string, Tensor> Parameters(CausalLm policy) =>
        policy.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);

    /// <summary>Seeds keyed by (prompt id, sample index), as the rollout worker derives them.</summary>
    public static Func<int, int, ulong> Seeds(long runSeed, params int[] promptIds) =>
        (prompt, sample) => SampleSeeds.Derive(runSeed, batch: 0, promptIds.Length == 0 ? prompt : promptIds[prompt], sample);

    /// <summary>Log-softmax of the next-token logits after <paramref name="prompt"/>, from one plain forward pass.</summary>
    public static float[] NextTokenLogProbs(CausalLm policy, int[] prompt)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = tensor(prompt.Select(id => (long)id).ToArray(), [1, prompt.Length]);
        var keyMask = ones(1, prompt.Length, dtype: @bool);
        var logits = policy.Logits(ids, AttentionMasks.Positions(keyMask), AttentionMasks.Causal(keyMask, prompt.Length));
        return logits.select(0, 0).select(0, prompt.Length - 1).log_softmax(-1).data<float>().ToArray();
    }
}
