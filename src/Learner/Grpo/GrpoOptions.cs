using System.ComponentModel.DataAnnotations;
using Pipeline.Policy.Fp8;

namespace Pipeline.Learner.Grpo;

/// <summary>
/// Knobs of the GRPO learner, bound from the <c>Grpo</c> configuration section (<c>Grpo__Beta=0</c> from the
/// environment) and validated at start.
/// <para>
/// Papers: DeepSeekMath (Shao et al. 2024) for GRPO itself, β = 0.04 and the k3 KL estimator; DAPO (Yu et al.
/// 2025) for clip-higher, token-level aggregation, dynamic sampling and the soft overlong punishment; Dr. GRPO
/// (Liu et al. 2025, "Understanding R1-Zero-Like Training") for the constant normaliser; DeepSeek-V3 (2024) §4.2
/// for the AdamW betas and the gradient-clipping norm.
/// </para>
/// <para>
/// Deliberate deviations: the default aggregation is DAPO's token-level mean rather than DeepSeekMath's
/// per-sequence mean (see <see cref="Aggregation"/>); the learning rate is sized for the small policies this
/// project trains rather than DeepSeekMath's 7B model; weight decay is off.
/// </para>
/// </summary>
public sealed class GrpoOptions
{
    public const string SectionName = "Grpo";

    /// <summary>
    /// What the group-relative advantage is divided by. Default <see cref="Grpo.AdvantageScale.Group"/>: the
    /// per-group standard deviation of DeepSeekMath §4.1.2 (outcome supervision).
    /// </summary>
    [EnumDataType(typeof(AdvantageScale))]
    public AdvantageScale AdvantageScale { get; init; } = AdvantageScale.Group;

    /// <summary>Lower clip range ε_low: ratios below 1 − ε_low stop pushing. 0.2 as in DAPO §3.1 (and PPO).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double EpsLow { get; init; } = 0.2;

    /// <summary>
    /// Upper clip range ε_high: ratios above 1 + ε_high stop pushing. 0.28 is DAPO's "clip-higher" (§3.1), which
    /// leaves low-probability tokens room to grow and so delays entropy collapse.
    /// </summary>
    [Range(0.0, double.MaxValue)]
    public double EpsHigh { get; init; } = 0.28;

    /// <summary>
    /// How per-token losses become one number. Default <see cref="LossAggregation.Dapo"/> (token-level, DAPO §3.3)
    /// rather than DeepSeekMath's per-sequence mean: averaging per sequence first gives each token of a long
    /// completion less weight, so long rambling wrong answers are under-penalised and length drifts upward (the
    /// length bias Dr. GRPO §3.1 also identifies); the token-level mean needs no normaliser constant either.
    /// Choose <see cref="LossAggregation.Grpo"/> to reproduce DeepSeekMath exactly.
    /// </summary>
    [EnumDataType(typeof(LossAggregation))]
    public LossAggregation Aggregation { get; init; } = LossAggregation.Dapo;

    /// <summary>KL coefficient β against the frozen reference policy; 0.04 as in DeepSeekMath §4.2. 0 turns the KL
    /// term off and the reference policy need not be evaluated (DAPO §2.3 drops it).</summary>
    [Range(0.0, double.MaxValue)]
    public double Beta { get; init; } = 0.04;

    /// <summary>Per-token KL estimator; k3 as in DeepSeekMath eq. 4 (unbiased and non-negative).</summary>
    [EnumDataType(typeof(KlEstimator))]
    public KlEstimator KlEstimator { get; init; } = KlEstimator.K3;

    /// <summary>
    /// Drop groups whose rewards are all equal, since their advantages are all zero and they only dilute the
    /// batch (DAPO §3.2). DAPO also over-samples until the batch is full; Pipeline does not: a step trains on the groups that keep a signal.
    /// </summary>
    public bool DynamicSampling { get; init; } = true;

    /// <summary>Global gradient-norm clip; 1.0 as in DeepSeek-V3 §4.2.</summary>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true)]
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>
    /// The most padded token positions (rows × (longest prompt + longest completion)) one forward/backward pass lays
    /// out. A batch over it — long completions among short ones — is cut by length into rows of similar length whose
    /// gradients are summed before the one optimizer step, each micro-batch's loss weighted by its share of the
    /// aggregation's denominator, so that the step is the one-pass step: padding and attention scores over the longest
    /// row are not paid by every row, and activations stay in cache.
    /// </summary>
    [Range(256, 10_000_000)]
    public int MicroBatchTokens { get; init; } = 2048;

    /// <summary>
    /// AdamW learning rate. DeepSeekMath §4.2 uses 1e-6 for a 7B policy; 1e-4 suits the few-million-parameter
    /// policies this project trains on a CPU (a deliberate deviation).
    /// </summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>
    /// AdamW decoupled weight decay (Loshchilov &amp; Hutter 2019). Off by default: decay pulls weights toward zero,
    /// not toward the base policy, and in RL the KL term is the regulariser that matters (TRL's default is 0 too).
    /// </summary>
    [Range(0.0, 1.0)]
    public double WeightDecay { get; init; }

    /// <summary>AdamW β1; 0.9 as in DeepSeek-V3 §4.2.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double AdamBeta1 { get; init; } = 0.9;

    /// <summary>AdamW β2; 0.95 as in DeepSeek-V3 §4.2 (shorter memory than 0.999 suits noisy RL gradients).</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double AdamBeta2 { get; init; } = 0.95;

    /// <summary>
    /// L_cache of DAPO's soft overlong punishment (§3.4): completions longer than max tokens − buffer are
    /// penalised linearly up to the limit. 0 (the default) turns the penalty off; DAPO used 4096 of 20480.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int OverlongBuffer { get; init; }

    /// <summary>Reward subtracted at the length limit by the overlong penalty; 1.0 is DAPO's (§3.4).</summary>
    [Range(0.0, double.MaxValue)]
    public double OverlongPenaltyFactor { get; init; } = 1.0;

    /// <summary>
    /// The constant Dr. GRPO divides each sequence's token sum by (§3.2). Unset means the run's maximum
    /// completion tokens, the generation budget Dr. GRPO's own implementation uses.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int? DrGrpoNormalizer { get; init; }

    /// <summary>Operand precision of the trained policy's linear-layer GEMMs: <c>fp8</c> trains with DeepSeek-V3's FP8
    /// recipe (§3.3) on FP32 master weights; the reference policy stays FP32.</summary>
    [EnumDataType(typeof(LinearPrecision))]
    public LinearPrecision Precision { get; init; } = LinearPrecision.Fp32;

    /// <summary>A copy to bind overrides onto, leaving this one as it is.</summary>
    public GrpoOptions Clone() => (GrpoOptions)MemberwiseClone();
}
