using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Rotary position embedding (Su et al. 2021, RoFormer) in the "rotate half" layout that Hugging Face's
/// Llama uses, so q/k projections from real checkpoints line up. Precomputed cos/sin tables; kept out of the
/// module's state so checkpoints hold only learned weights.</summary>
public sealed class RotaryTables : IDisposable
{
    readonly Tensor _cos, _sin; // (MaxPositions, HeadDim)

    public RotaryTables(int headDim, int maxPositions, double theta)
    {
        using var scope = NewDisposeScope();
        var inverseFrequencies = 1.0 / pow(theta, arange(0, headDim, 2, dtype: float64) / headDim); // (HeadDim/2)
        var angles = outer(arange(maxPositions, dtype: float64), inverseFrequencies);                // (P, HeadDim/2)
        var full = cat([angles, angles], dim: -1);                                                    // (P, HeadDim)
        _cos = full.cos().to(float32).DetachFromDisposeScope();
        _sin = full.sin().to(float32).DetachFromDisposeScope();
        MaxPositions = maxPositions;
    }

    public int MaxPositions { get; }

    /// <summary>cos and sin for the given positions (B, T), shaped (B, 1, T, HeadDim) to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) At(Tensor positions)
    {
        var flat = positions.reshape(-1);
        long[] shape = [positions.shape[0], 1, positions.shape[1], _cos.shape[1]];
        return (_cos.index_select(0, flat).reshape(shape), _sin.index_select(0, flat).reshape(shape));
    }

    /// <summary>x·cos + rotate_half(x)·sin, for x of shape (B, H, T, HeadDim).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.shape[^1] / 2;
        var rotated = cat([-x[.., .., .., (int)half..], x[.., .., .., ..(int)half]], dim: -1);
        return x * cos + rotated * sin;
    }

    public void Dispose()
    {
        _cos.Dispose();
        _sin.Dispose();
    }
}
