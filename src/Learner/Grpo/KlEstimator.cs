using System.ComponentModel;

namespace Pipeline.Learner.Grpo;

/// <summary>
/// Per-token Monte-Carlo estimators of KL(π_θ ‖ π_ref) from J. Schulman, "Approximating KL divergence" (2020).
/// </summary>
[TypeConverter(typeof(ConfigEnumConverter))]
public enum KlEstimator
{
    /// <summary><c>log π_θ − log π_ref</c>: unbiased, high variance, can be negative.</summary>
    K1,

    /// <summary><c>½ (log π_θ − log π_ref)²</c>: biased, low variance, never negative.</summary>
    K2,

    /// <summary>
    /// <c>π_ref/π_θ − log(π_ref/π_θ) − 1</c>: unbiased and never negative; the one DeepSeekMath's GRPO uses (eq. 4).
    /// </summary>
    K3,
}
