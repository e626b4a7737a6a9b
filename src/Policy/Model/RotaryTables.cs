using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Rotary position embedding (Su et al. 2021, RoFormer) in the "rotate half" layout that Hugging Face's
/// Llama uses, so q/k projections from real checkpoints line up. Precomputed cos/sin tables; kept out of the
/// module's state so checkpoints hold only learned weights.</summary>
public sealed class RotaryTables : IDisposable
{
    readonly Tensor _cos, _sin; // (MaxPositions, HeadDim)

    public RotaryTables(int headDim, int maxPositions, double theta, RopeScaling? scaling = null)
    {
        using var scope = NewDisposeScope();
        var frequencies = Enumerable.Range(0, headDim / 2).Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim)).ToArray();
        var inverseFrequencies = tensor(scaling?.Apply(frequencies) ?? frequencies, float64);        // (HeadDim/2)
        var angles = outer(arange(maxPositions, dtype: float64), inverseFrequencies);                // (P, HeadDim/2)
        var full = cat([angles, angles], dim: -1);                                                    // (P, HeadDim)
        _cos = full.cos().to(float32).DetachFromDisposeScope();
        _sin = full.sin().to(float32).DetachFromDisposeScope();
        MaxPositions = maxPositions;
    }

    public int MaxPositions { get; }

    /// <summary>cos and sin for the given positions (B, T), shaped (B, 1, T, HeadDim) to broadcast over heads, on the
    /// positions' device in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) At(Tensor positions, ScalarType dtype)
    {
        var flat = positions.reshape(-1).cpu();
        long[] shape = [positions.shape[0], 1, positions.shape[1], _cos.shape[1]];
        var cos = _cos.index_select(0, flat).reshape(shape).to(dtype, positions.device);
        var sin = _sin.index_select(0, flat).reshape(shape).to(dtype, positions.device);
        return (cos, sin);
    }

    /// <summary>x·cos + rotate_half(x)·sin, for x of shape (B, H, T, HeadDim).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.shape[^1] / 2;
        var rotated = cat([-x[.., .., .., (int)half..], x[.., .., .., ..(int)half]], dim: -1);
        return (x * cos).Plus(rotated * sin);
    }

    public void Dispose()
    {
        _cos.Dispose();
        _sin.Dispose();
    }
}
