using Pipeline.Policy;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Learner.Grpo;

/// <summary>
/// The GRPO objective (DeepSeekMath eq. 3) as a loss to minimise, per token:
/// <c>−min(ρ·A, clip(ρ, 1 − ε_low, 1 + ε_high)·A) + β·KL</c>, with ρ = π_θ / π_behaviour.
/// <para>
/// Deviations from DeepSeekMath, all deliberate: the ratio is taken against the behaviour policy that actually
/// sampled the tokens (the rollout's log-probs), not a copy of the current weights, because rollouts arrive
/// asynchronously and may be a few policy versions old — the clipped surrogate is exactly the PPO correction
/// for that; the clip range is asymmetric (DAPO §3.1 clip-higher); the aggregation is selectable (DAPO §3.3,
/// Dr. GRPO §3.2).
/// </para>
/// <para>
/// Padding positions are zeroed in the log-ratios before <c>exp</c>: padded log-probs may be anything (even
/// ±inf), and multiplying an overflowed exp by a zero mask afterwards would still send NaN through backward.
/// </para>
/// </summary>
public static class PolicyLoss
{
    /// <param name="logProbs">(B, T) log π_θ of the sampled tokens under the current policy; requires grad.</param>
    /// <param name="behaviourLogProbs">(B, T) log-probs recorded by the rollout worker that sampled the tokens.</param>
    /// <param name="refLogProbs">(B, T) log π_ref of the frozen reference policy; may be null when β = 0.</param>
    /// <param name="advantages">(B) one advantage per completion.</param>
    /// <param name="mask">(B, T) 1 for completion tokens, 0 for padding (any numeric or bool dtype).</param>
    /// <param name="options">Clip range, β, KL estimator, aggregation.</param>
    /// <param name="maxCompletionTokens">The run's generation budget: Dr. GRPO's normaliser unless overridden.</param>
    /// <returns>The scalar loss, owned by the caller's dispose scope, and detached statistics.</returns>
    public static PolicyLossResult Compute(
        Tensor logProbs,
        Tensor behaviourLogProbs,
        Tensor? refLogProbs,
        Tensor advantages,
        Tensor mask,
        GrpoOptions options,
        int maxCompletionTokens)
    {
        CheckShapes(logProbs, behaviourLogProbs, refLogProbs, advantages, mask, options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCompletionTokens);

        using var scope = NewDisposeScope();
        var real = mask.to_type(ScalarType.Bool);                                   // (B, T)
        var padding = real.logical_not();                                           // (B, T)
        var weight = real.to_type(logProbs.dtype);                                  // (B, T)
        var advantage = advantages.to_type(logProbs.dtype).unsqueeze(1);           // (B, 1)

        var ratio = (logProbs - behaviourLogProbs).masked_fill(padding, Scalars.Of(0.0)).exp(); // (B, T)
        var clipped = ratio.clamp(Scalars.Of(1.0 - options.EpsLow), Scalars.Of(1.0 + options.EpsHigh));     // (B, T)
        var surrogate = -minimum(ratio * advantage, clipped * advantage);           // (B, T)

        Tensor? kl = null;
        var perToken = surrogate;
        if (options.Beta > 0)
        {
            var refMasked = refLogProbs!.masked_fill(padding, Scalars.Of(0.0));
            var policyMasked = logProbs.masked_fill(padding, Scalars.Of(0.0));
            kl = KlPenalty.PerToken(policyMasked, refMasked, options.KlEstimator);  // (B, T)
            perToken = surrogate.Plus(kl * Scalars.Of(options.Beta));
        }

        var loss = Aggregate(perToken * weight, weight, options, maxCompletionTokens);
        var stats = Statistics(logProbs - behaviourLogProbs, ratio, advantage, kl, real, weight, options);
        return new PolicyLossResult(loss.MoveToOuterDisposeScope(), stats);
    }

    /// <summary>
    /// The weight of one micro-batch's <see cref="Compute"/> loss when a batch is cut into micro-batches whose
    /// gradients are summed: its share of the whole batch's aggregation denominator — sequences for <c>grpo</c> and
    /// <c>dr_grpo</c>, completion tokens for <c>dapo</c> — so that the weighted losses add up to the whole batch's.
    /// </summary>
    public static double Share(LossAggregation aggregation, int chunkSequences, long chunkTokens, int batchSequences, long batchTokens)
    {
        if (chunkSequences <= 0 || batchSequences < chunkSequences || chunkTokens < 0 || batchTokens < chunkTokens)
            throw new ArgumentException($"a micro-batch of {chunkSequences} sequences and {chunkTokens} tokens is not part of a batch of {batchSequences} and {batchTokens}");
        return aggregation switch
        {
            LossAggregation.Grpo or LossAggregation.DrGrpo => (double)chunkSequences / batchSequences,
            // dapo divides by max(tokens, 1) in each micro-batch and in the batch alike.
            LossAggregation.Dapo => chunkTokens == 0 ? 0.0 : (double)chunkTokens / Math.Max(1, batchTokens),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown loss aggregation."),
        };
    }

    static Tensor Aggregate(Tensor maskedLoss, Tensor weight, GrpoOptions options, int maxCompletionTokens)
    {
        var sequences = maskedLoss.shape[0];
        switch (options.Aggregation)
        {
            case LossAggregation.Grpo:
                // An empty completion (immediate end of sequence) counts as a zero-loss sequence, as in TRL.
                var perSequence = maskedLoss.sum(1) / weight.sum(1).clamp_min(Scalars.Of(1.0));  // (B)
                return perSequence.mean();
            case LossAggregation.Dapo:
                return maskedLoss.sum() / weight.sum().clamp_min(Scalars.Of(1.0));
            case LossAggregation.DrGrpo:
                var normaliser = options.DrGrpoNormalizer ?? maxCompletionTokens;
                return maskedLoss.sum() / ((double)sequences * normaliser);
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Aggregation, "Unknown loss aggregation.");
        }
    }

    static PolicyLossStats Statistics(Tensor logRatio, Tensor ratio, Tensor advantage, Tensor? kl, Tensor real, Tensor weight, GrpoOptions options)
    {
        using var noGrad = no_grad();
        var realRatios = ratio.detach().masked_select(real);                        // (N)
        var mismatch = logRatio.detach().masked_select(real).abs();                 // (N)
        bool any = realRatios.numel() > 0;
        var tokens = weight.sum().ToDouble();
        var perToken = Math.Max(tokens, 1.0);

        // A token is clipped when min() picked the clamped branch and the clamp was active: the only case in
        // which its gradient is cut off.
        var clippedHigh = advantage.gt(Scalars.Of(0.0)).logical_and(ratio.gt(Scalars.Of(1.0 + options.EpsHigh))).logical_and(real);
        var clippedLow = advantage.lt(Scalars.Of(0.0)).logical_and(ratio.lt(Scalars.Of(1.0 - options.EpsLow))).logical_and(real);
        var high = clippedHigh.sum().ToDouble() / perToken;
        var low = clippedLow.sum().ToDouble() / perToken;

        return new PolicyLossStats(
            MeanKl: kl is null ? null : (kl.detach() * weight).sum().ToDouble() / perToken,
            ClipFraction: high + low,
            ClipLowFraction: low,
            ClipHighFraction: high,
            MeanRatio: (ratio.detach() * weight).sum().ToDouble() / perToken,
            TokenCount: (long)tokens)
        {
            MinRatio = any ? realRatios.min().ToDouble() : 1.0,
            MaxRatio = any ? realRatios.max().ToDouble() : 1.0,
            MeanAbsLogRatio = any ? mismatch.mean().ToDouble() : 0.0,
            MaxAbsLogRatio = any ? mismatch.max().ToDouble() : 0.0,
        };
    }

    static void CheckShapes(Tensor logProbs, Tensor behaviourLogProbs, Tensor? refLogProbs, Tensor advantages, Tensor mask, GrpoOptions options)
    {
        if (logProbs.dim() != 2)
        {
            throw new ArgumentException($"logProbs must be (B, T); got ({string.Join(", ", logProbs.shape)}).", nameof(logProbs));
        }

        RequireSameShape(logProbs, behaviourLogProbs, nameof(behaviourLogProbs));
        RequireSameShape(logProbs, mask, nameof(mask));
        if (options.Beta > 0)
        {
            if (refLogProbs is null)
            {
                throw new ArgumentException("refLogProbs is required when Beta > 0.", nameof(refLogProbs));
            }

            RequireSameShape(logProbs, refLogProbs, nameof(refLogProbs));
        }

        if (advantages.dim() != 1 || advantages.shape[0] != logProbs.shape[0])
        {
            throw new ArgumentException(
                $"advantages must be ({logProbs.shape[0]}); got ({string.Join(", ", advantages.shape)}).", nameof(advantages));
        }
    }

    static void RequireSameShape(Tensor expected, Tensor actual, string name)
    {
        if (!expected.shape.SequenceEqual(actual.shape))
        {
            throw new ArgumentException(
                $"{name} must be ({string.Join(", ", expected.shape)}); got ({string.Join(", ", actual.shape)}).", name);
        }
    }
}

/// <summary>The loss to call <c>backward()</c> on, and numbers worth logging.</summary>
public sealed record PolicyLossResult(Tensor Loss, PolicyLossStats Stats);

/// <summary>
/// Detached per-step statistics, each a mean over real (unpadded) tokens unless named min or max.
/// <see cref="MeanKl"/> is null when β = 0 because the reference policy was not consulted. Entropy is absent: it
/// needs the full vocabulary distribution, which the loss never sees. The ratio's extremes and the absolute
/// log-ratio |log π_θ − log π_behaviour| measure how far the learner's log-probs are from the rollout's (TRL's
/// <c>sampling/importance_sampling_ratio</c> and <c>sampling/sampling_logp_difference</c>); for an on-policy batch
/// they show the mismatch between the sampler and the learner's full pass.
/// </summary>
public sealed record PolicyLossStats(
    double? MeanKl,
    double ClipFraction,
    double ClipLowFraction,
    double ClipHighFraction,
    double MeanRatio,
    long TokenCount)
{
    public double MinRatio { get; init; } = 1.0;
    public double MaxRatio { get; init; } = 1.0;
    public double MeanAbsLogRatio { get; init; }
    public double MaxAbsLogRatio { get; init; }

    /// <summary>The statistics of a batch from those of the micro-batches it was cut into: token means weighted by
    /// each part's tokens, extremes over the parts that have tokens, counts summed.</summary>
    public static PolicyLossStats Combine(IReadOnlyList<PolicyLossStats> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("at least one micro-batch's statistics are required", nameof(parts));
        if (parts.Count == 1) return parts[0];
        long tokens = parts.Sum(p => p.TokenCount);
        double Mean(Func<PolicyLossStats, double> value) => tokens == 0 ? 0.0 : parts.Sum(p => value(p) * p.TokenCount) / tokens;
        var withTokens = parts.Where(p => p.TokenCount > 0).ToArray();
        return new PolicyLossStats(
            MeanKl: parts[0].MeanKl is null ? null : Mean(p => p.MeanKl ?? 0.0),
            ClipFraction: Mean(p => p.ClipFraction),
            ClipLowFraction: Mean(p => p.ClipLowFraction),
            ClipHighFraction: Mean(p => p.ClipHighFraction),
            MeanRatio: Mean(p => p.MeanRatio),
            TokenCount: tokens)
        {
            MinRatio = withTokens.Length == 0 ? 1.0 : withTokens.Min(p => p.MinRatio),
            MaxRatio = withTokens.Length == 0 ? 1.0 : withTokens.Max(p => p.MaxRatio),
            MeanAbsLogRatio = Mean(p => p.MeanAbsLogRatio),
            MaxAbsLogRatio = withTokens.Length == 0 ? 0.0 : withTokens.Max(p => p.MaxAbsLogRatio),
        };
    }
}
