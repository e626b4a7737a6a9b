using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>
/// Rotary position embedding (Su et al. 2021, RoFormer) in the "rotate half" layout that Hugging Face's Llama uses —
/// dimension j of a head turns with dimension j + D/2 by position × frequency j —, so q/k projections from real
/// checkpoints line up. Precomputed rotations, kept out of the module's state so checkpoints hold only learned weights.
/// <para>Each rotation is one complex multiplication. The attention reorders the rows of its q and k weights
/// (<see cref="PairedOrder"/>) so that the two dimensions of a pair sit side by side, where a complex view of the
/// projection reads them as one number; q and k are reordered alike, so every q·k product, and the attention, is
/// unchanged. One elementwise operation forward and one backward instead of the four (x·cos, rotate, ·sin, sum) of
/// the rotate-half formula and their gradients, which were most of the step's elementwise memory traffic.</para>
/// </summary>
public sealed class RotaryTables : IDisposable
{
    readonly Tensor _rotations; // (MaxPositions, HeadDim/2) complex64: cos θ + i·sin θ

    public RotaryTables(int headDim, int maxPositions, double theta, RopeScaling? scaling = null)
    {
        using var scope = NewDisposeScope();
        var frequencies = Enumerable.Range(0, headDim / 2).Select(i => 1.0 / Math.Pow(theta, 2.0 * i / headDim)).ToArray();
        var inverseFrequencies = tensor(scaling?.Apply(frequencies) ?? frequencies, float64);        // (HeadDim/2)
        var angles = outer(arange(maxPositions, dtype: float64), inverseFrequencies);                // (P, HeadDim/2)
        _rotations = complex(angles.cos().to(float32), angles.sin().to(float32)).DetachFromDisposeScope();
        MaxPositions = maxPositions;
    }

    public int MaxPositions { get; }

    /// <summary>The rotations of the given positions (B, T), shaped (B, T, 1, HeadDim/2) to broadcast over heads,
    /// complex64 on the positions' device.</summary>
    public Tensor At(Tensor positions)
    {
        var flat = positions.reshape(-1).cpu();
        return _rotations.index_select(0, flat).reshape(positions.shape[0], positions.shape[1], 1, _rotations.shape[1]).to(positions.device);
    }

    /// <summary>The row order of a projection onto <paramref name="heads"/> heads of <paramref name="headDim"/>
    /// dimensions that puts each rotary pair side by side: per head j, j + D/2 for j = 0 … D/2 − 1.</summary>
    public static long[] PairedOrder(int heads, int headDim) =>
        Enumerable.Range(0, heads).SelectMany(h => Enumerable.Range(0, headDim / 2).SelectMany(j => new long[] { h * headDim + j, h * headDim + j + headDim / 2 }))
            .ToArray();

    /// <summary>Each pair of <paramref name="x"/> (B, T, H, HeadDim, in <see cref="PairedOrder"/>) turned by its
    /// position's rotation: (x_j + i·x_{j+D/2})·(cos θ + i·sin θ), in FP32 whatever x's dtype.</summary>
    /// <returns>(B, T, H, HeadDim) FP32, still in the paired order</returns>
    public static Tensor Apply(Tensor x, Tensor rotations)
    {
        long[] pairs = [.. x.shape[..^1], x.shape[^1] / 2, 2];
        var turned = view_as_complex(x.to(float32).view(pairs)) * rotations;         // (B, T, H, HeadDim/2)
        return view_as_real(turned).flatten(-2);
    }

    public void Dispose() => _rotations.Dispose();
}
