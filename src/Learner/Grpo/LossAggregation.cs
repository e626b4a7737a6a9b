using System.ComponentModel;

namespace Pipeline.Learner.Grpo;

/// <summary>How per-token losses of a ragged batch are reduced to one number.</summary>
[TypeConverter(typeof(ConfigEnumConverter))]
public enum LossAggregation
{
    /// <summary>Mean over each sequence's tokens, then mean over sequences (DeepSeekMath, eq. 3).</summary>
    Grpo,

    /// <summary>Sum over all tokens divided by a constant, B × normaliser (Dr. GRPO, Liu et al. 2025).</summary>
    DrGrpo,

    /// <summary>Sum over all tokens divided by the number of tokens (DAPO §3.3, token-level loss).</summary>
    Dapo,
}
