using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Rotary position embedding (Su et al. 2021, RoFormer) in the "rotate half" layout that Hugging Face's
/// Llama uses, so q/k projections from real checkpoints line up. Precomputed cos/sin tables; kept out of the
/// module's state so checkpoints hold only learned weights. The sin table is stored with its first half negated, so
/// that rotating half of x is one roll instead of a negation and a concatenation (fewer operations forward, and one
/// roll backward instead of two scattered slices, a negation and their sum); the products are the same numbers.</summary>
public sealed class RotaryTables : IDisposable
{
    readonly Tensor _cos, _signedSin; // (MaxPositions, HeadDim)

    public RotaryTables(int headDim, int maxPositions, double theta, RopeScaling? scaling = null)
    {
        using var scope = NewDisposeScope();
        var frequencies = Enumerable.Range(0, headDim / 2).Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim)).ToArray();
        var inverseFrequencies = tensor(scaling?.Apply(frequencies) ?? frequencies, float64);        // (HeadDim/2)
        var angles = outer(arange(maxPositions, dtype: float64), inverseFrequencies);                // (P, HeadDim/2)
        var full = cat([angles, angles], dim: -1);                                                    // (P, HeadDim)
        _cos = full.cos().to(float32).DetachFromDisposeScope();
        _signedSin = cat([-angles.sin(), angles.sin()], dim: -1).to(float32).DetachFromDisposeScope();
        MaxPositions = maxPositions;
    }

    public int MaxPositions { get; }

    /// <summary>cos and sin for the given positions (B, T), shaped (B, 1, T, HeadDim) to broadcast over heads, on the
    /// positions' device in <paramref name="dtype"/>; the first half of <c>SignedSin</c>'s last dimension is −sin, as
    /// <see cref="Apply"/> takes it.</summary>
    public (Tensor Cos, Tensor SignedSin) At(Tensor positions, ScalarType dtype)
    {
        var flat = positions.reshape(-1).cpu();
        long[] shape = [positions.shape[0], 1, positions.shape[1], _cos.shape[1]];
        var cos = _cos.index_select(0, flat).reshape(shape).to(dtype, positions.device);
        var sin = _signedSin.index_select(0, flat).reshape(shape).to(dtype, positions.device);
        return (cos, sin);
    }

    /// <summary>x·cos + rotate_half(x)·sin, for x of shape (B, H, T, HeadDim): rotate_half(x) = (−x₂, x₁) for the
    /// halves x₁, x₂, computed as roll(x, half)·signedSin = (x₂, x₁)·(−sin₁, sin₂).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin)
    {
        long half = x.shape[^1] / 2;
        return (x * cos).Plus(x.roll(half, -1) * signedSin);
    }

    public void Dispose()
    {
        _cos.Dispose();
        _signedSin.Dispose();
    }
}
