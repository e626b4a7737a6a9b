using Pipeline.Policy.Model;
using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>Per-token KL divergence between two policies' next-token distributions along the same sequences.</summary>
public sealed record TokenKl(double Mean, double Max, int Tokens);

public static class PolicyDivergence
{
    /// <summary>KL(p ‖ q) at every completion token of the given sequences, teacher-forced: how far a copy q of a
    /// policy p (say, after FP8 transport, or computing in BF16) strays from it where p's own completions go. Both
    /// distributions are taken in FP32 whatever dtype the policies compute in.</summary>
    public static TokenKl Measure(CausalLm p, CausalLm q, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var layout = TokenLayout.Build(prompts, completions, p.Config.PadId, p.Device);
        var positions = AttentionMasks.Positions(layout.KeyMask);
        var mask = AttentionMasks.Causal(layout.KeyMask, layout.Ids.shape[1], p.Config.AttentionWindow);
        int lp = layout.PromptLength, lc = layout.CompletionLength;
        var logP = p.Logits(layout.Ids, positions, mask).narrow(1, lp - 1, lc).to(float32).log_softmax(-1);  // (B, Lc, V)
        var logQ = q.Logits(layout.Ids, positions, mask).narrow(1, lp - 1, lc).to(float32).log_softmax(-1);  // (B, Lc, V)
        var kl = (logP.exp() * (logP - logQ)).sum(-1) * layout.CompletionMask;                   // (B, Lc)
        double tokens = layout.CompletionMask.sum().item<float>();
        return new TokenKl(kl.sum().item<float>() / tokens, kl.max().item<float>(), (int)tokens);
    }
}
