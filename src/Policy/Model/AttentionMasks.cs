using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Additive attention masks and matching positions for batches with padding.</summary>
public static class AttentionMasks
{
    /// <summary>A large finite negative instead of −∞: a padded query row whose keys are all masked then
    /// softmaxes to a harmless uniform row instead of NaN, which would otherwise leak into the cache.</summary>
    public const float Blocked = -1e9f;

    /// <summary><see cref="Blocked"/> as one libtorch scalar that lives as long as the process. An implicit conversion
    /// makes a temporary whose finalizer may free the native scalar while the call that reads it is still running (a
    /// run failed in masked_fill with a scalar of no known type).</summary>
    static readonly Scalar BlockedScalar = Blocked.ToScalar();

    /// <summary>Causal mask over keys, for the last <paramref name="queries"/> positions of <paramref name="keyMask"/>.
    /// With a <paramref name="window"/>, a query also sees only keys fewer than <c>window</c> places back (Mistral's
    /// sliding window). Distances are counted in columns, which equal token positions because padding only ever
    /// precedes a row's prompt: prompt, completion and cached tokens of a row are contiguous.</summary>
    /// <param name="keyMask">(B, S) bool, true where a key is a real token</param>
    /// <param name="window">the attention window (<see cref="PolicyConfig.AttentionWindow"/>), or null for none</param>
    /// <returns>(B, 1, T, S) float: 0 where attention is allowed, <see cref="Blocked"/> elsewhere</returns>
    public static Tensor Causal(Tensor keyMask, long queries, int? window = null)
    {
        using var scope = NewDisposeScope();
        long s = keyMask.shape[1];
        var queryPositions = arange(s - queries, s, device: keyMask.device).unsqueeze(1); // (T, 1)
        var keyPositions = arange(s, device: keyMask.device).unsqueeze(0);                // (1, S)
        var causal = keyPositions.le(queryPositions);                  // (T, S)
        if (window is { } w) causal &= (queryPositions - keyPositions).lt(Scalars.Of(w));
        var allowed = causal.unsqueeze(0) & keyMask.unsqueeze(1);       // (B, T, S)
        var additive = zeros(allowed.shape, device: keyMask.device).masked_fill(allowed.logical_not(), BlockedScalar);
        return additive.unsqueeze(1).MoveToOuterDisposeScope();         // (B, 1, T, S)
    }

    /// <summary>Position of each token counted over real tokens only, so a left-padded prompt starts at 0.</summary>
    /// <param name="keyMask">(B, S) bool</param>
    public static Tensor Positions(Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        return (keyMask.to(int64).cumsum(1) - Scalars.Of(1L)).clamp_min(Scalars.Of(0L)).MoveToOuterDisposeScope();
    }
}
