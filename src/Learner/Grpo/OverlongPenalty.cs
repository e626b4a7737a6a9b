namespace Pipeline.Learner.Grpo;

/// <summary>
/// DAPO's soft overlong punishment (Yu et al. 2025, §3.4), a reward term added to the verifier's reward:
/// nothing up to <c>max − buffer</c> tokens, then a linear ramp down to <c>−factor</c> at the limit (DAPO's
/// paper has factor 1; the factor is verl's generalisation). Lengths past the limit get the full penalty.
/// </summary>
public static class OverlongPenalty
{
    /// <summary>The penalty (≤ 0) for a completion of <paramref name="completionTokens"/> tokens.</summary>
    public static double Compute(int completionTokens, int maxCompletionTokens, int buffer, double factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(completionTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCompletionTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(buffer);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buffer, maxCompletionTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(factor);

        var penaltyFree = maxCompletionTokens - buffer;
        if (buffer == 0 || completionTokens <= penaltyFree)
        {
            return 0.0;
        }

        var intoBuffer = Math.Min(completionTokens - penaltyFree, buffer);
        return -factor * intoBuffer / buffer;
    }

    /// <summary>The penalty with the buffer and factor from <paramref name="options"/>; 0 when the buffer is 0.</summary>
    public static double Compute(int completionTokens, int maxCompletionTokens, GrpoOptions options) =>
        Compute(completionTokens, maxCompletionTokens, options.OverlongBuffer, options.OverlongPenaltyFactor);
}
