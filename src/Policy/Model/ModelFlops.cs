namespace Pipeline.Policy.Model;

/// <summary>
/// The matrix-multiply FLOPs of one forward pass of a <see cref="CausalLm"/>, counted from its shape (2 FLOPs per
/// multiply-add, as Kaplan et al. 2020 and PaLM's MFU count them). Two kinds of work: every token goes through the
/// linear layers and the head (<see cref="LinearPerToken"/>), and every (query, key) pair that attention computes costs
/// QKᵀ and the weighted sum of V (<see cref="AttentionPerPair"/>). Elementwise work — norms, rotary positions, SiLU,
/// softmax, biases — and the embedding lookup are not GEMMs and are not counted.
/// <para>A backward pass costs twice the forward (the gradient of both operands of every product: inputs and weights,
/// or queries and keys); the embeddings are the only weights before the first product, so no product skips its input
/// gradient.</para>
/// </summary>
public static class ModelFlops
{
    /// <summary>Weights that take part in a product per token: q, k, v, o, gate, up, down of every layer and the head.
    /// The embedding table (a lookup), norm gains and biases are left out.</summary>
    public static long MatmulParameters(PolicyConfig config)
    {
        long c = config.HiddenSize, q = (long)config.NumAttentionHeads * config.HeadDim, kv = (long)config.KeyValueHeads * config.HeadDim;
        long attention = c * q + 2 * c * kv + q * c;
        long mlp = 3 * c * config.IntermediateSize;
        return config.NumHiddenLayers * (attention + mlp) + c * config.VocabSize;
    }

    /// <summary>Forward FLOPs of one token through the linear layers and the head: 2 × <see cref="MatmulParameters"/>.</summary>
    public static long LinearPerToken(PolicyConfig config) => 2 * MatmulParameters(config);

    /// <summary>Forward FLOPs of one (query, key) pair over all layers: 2·H·D for the score and 2·H·D for the value sum.</summary>
    public static long AttentionPerPair(PolicyConfig config) => 4L * config.NumHiddenLayers * config.NumAttentionHeads * config.HeadDim;

    /// <summary>Forward FLOPs of a pass over <paramref name="work"/>.</summary>
    public static double Forward(PolicyConfig config, AttentionWork work) =>
        (double)work.Tokens * LinearPerToken(config) + (double)work.Pairs * AttentionPerPair(config);

    /// <summary>What a padded batch computes: <paramref name="rows"/> × <paramref name="length"/> positions, each
    /// attending to every column (masked scores are still computed).</summary>
    public static AttentionWork Padded(int rows, int length) => new((long)rows * length, (long)rows * length * length);

    /// <summary>The work that is needed: each sequence's real tokens, each attending to itself and the real tokens
    /// before it (n·(n+1)/2 pairs for n tokens).</summary>
    public static AttentionWork Causal(IEnumerable<int> lengths)
    {
        long tokens = 0, pairs = 0;
        foreach (var n in lengths)
        {
            tokens += n;
            pairs += (long)n * (n + 1) / 2;
        }
        return new AttentionWork(tokens, pairs);
    }
}

/// <summary>Token positions that pass through the linear layers, and the (query, key) pairs attention computes.</summary>
public readonly record struct AttentionWork(long Tokens, long Pairs);
