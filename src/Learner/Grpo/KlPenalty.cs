using Pipeline.Policy;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Learner.Grpo;

/// <summary>
/// Per-token estimates of KL(π_θ ‖ π_ref) from the log-probabilities of the sampled tokens, after J. Schulman,
/// "Approximating KL divergence" (2020); DeepSeekMath eq. 4 uses k3. Gradients flow through
/// <c>logProbs</c> only; the reference is frozen.
/// </summary>
public static class KlPenalty
{
    /// <summary>The estimate for every position, same shape as the inputs.</summary>
    public static Tensor PerToken(Tensor logProbs, Tensor refLogProbs, KlEstimator estimator)
    {
        using var scope = NewDisposeScope();
        var logRatio = refLogProbs - logProbs; // log(π_ref / π_θ)
        var kl = estimator switch
        {
            KlEstimator.K1 => -logRatio,
            KlEstimator.K2 => logRatio.Squared() * Scalars.Of(0.5),
            KlEstimator.K3 => logRatio.exp() - logRatio - Scalars.Of(1.0),
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "Unknown KL estimator."),
        };
        return kl.MoveToOuterDisposeScope();
    }
}
