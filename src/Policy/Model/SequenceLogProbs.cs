using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Log-probabilities of each completion token under a policy, in one full forward pass (no cache): what
/// the learner needs for the importance ratio and the KL term, and what the KV-cached sampler must agree with.</summary>
public static class SequenceLogProbs
{
    /// <returns>(B, Lc): log π(token | prefix) of every completion column; padded columns hold junk that
    /// <see cref="TokenLayout.CompletionMask"/> masks.</returns>
    public static Tensor Compute(CausalLm policy, TokenLayout layout, float temperature = 1f) =>
        Compute(policy, layout, temperature, withEntropy: false).LogProbs;

    /// <summary>As <see cref="Compute(CausalLm, TokenLayout, float)"/>, plus the entropy of the whole next-token
    /// distribution at every completion column (detached: a statistic to log, not part of the loss).</summary>
    /// <returns>(B, Lc) log-probs and (B, Lc) entropies in nats; padded columns hold junk.</returns>
    public static (Tensor LogProbs, Tensor Entropy) ComputeWithEntropy(CausalLm policy, TokenLayout layout, float temperature = 1f)
    {
        var (logProbs, entropy) = Compute(policy, layout, temperature, withEntropy: true);
        return (logProbs, entropy!);
    }

    static (Tensor LogProbs, Tensor? Entropy) Compute(CausalLm policy, TokenLayout layout, float temperature, bool withEntropy)
    {
        using var scope = NewDisposeScope();
        var positions = AttentionMasks.Positions(layout.KeyMask);
        var mask = AttentionMasks.Causal(layout.KeyMask, layout.Ids.shape[1], policy.Config.AttentionWindow);
        var logits = policy.Logits(layout.Ids, positions, mask);                        // (B, L, V)
        int lp = layout.PromptLength, lc = layout.CompletionLength;
        var predicting = logits.narrow(1, lp - 1, lc).to(float32);                      // (B, Lc, V)
        if (temperature > 0 && temperature != 1f) predicting = predicting / Scalars.Of(temperature);
        var targets = layout.Ids.narrow(1, lp, lc).unsqueeze(-1);                       // (B, Lc, 1)
        var distribution = predicting.log_softmax(-1);                                  // (B, Lc, V)
        var logProbs = distribution.gather(-1, targets).squeeze(-1);                    // (B, Lc)
        if (!withEntropy) return (logProbs.MoveToOuterDisposeScope(), null);
        using var noGrad = no_grad();
        var detached = distribution.detach();
        var entropy = -(detached.exp() * detached).sum(-1);                             // (B, Lc)
        return (logProbs.MoveToOuterDisposeScope(), entropy.MoveToOuterDisposeScope());
    }
}
