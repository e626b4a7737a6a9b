using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>The three GEMMs of a linear layer y = x·Wᵀ with FP8 operands, as DeepSeek-V3 §3.3 (Figure 1) runs them:
/// every operand is quantised to E4M3 along the GEMM's reduction dimension (1×128 tiles for activations and
/// gradients, 128×128 blocks for the weight) and products are accumulated in FP32.
/// <para>
/// This CPU has no FP8 units: each GEMM multiplies the dequantised operands in FP32. Since an E4M3 value times an
/// FP32 scale is exact in FP32, that is what an FP8 tensor core computes when partial sums are promoted to FP32
/// every 128 elements, the scales applied at promotion (§3.3.2) — up to the order of FP32 additions.
/// </para>
/// <para>
/// Deviation: DeepSeek-V3 caches the forward activation in FP8 and re-tiles it to 128×1 for Wgrad; here the FP32
/// activation is kept and quantised afresh along the token dimension, which gives the same 128×1 tiling without a
/// second rounding.
/// </para></summary>
public static class Fp8Gemm
{
    /// <summary>q(W): the weight in 128×128 blocks, as both Fprop and Dgrad see it. One 128×128 block serves W and Wᵀ,
    /// so a layer quantises its weight once per forward pass and hands the result to its backward pass.</summary>
    /// <param name="weight">(N, K)</param>
    public static Tensor QuantiseWeight(Tensor weight) => Fp8Quantiser.BlockWiseRoundTrip(weight);

    /// <summary>Fprop: y = q(x)·q(W)ᵀ.</summary>
    /// <param name="x">(M, K) activations, tiled along K</param>
    /// <param name="weight">(N, K), in 128×128 blocks</param>
    /// <returns>(M, N)</returns>
    public static Tensor Fprop(Tensor x, Tensor weight)
    {
        using var scope = NewDisposeScope();
        return FpropQuantised(x, QuantiseWeight(weight)).MoveToOuterDisposeScope();
    }

    /// <summary>Fprop with the weight already quantised (<see cref="QuantiseWeight"/>).</summary>
    /// <param name="x">(M, K)</param>
    /// <param name="quantisedWeight">(N, K), q(W)</param>
    public static Tensor FpropQuantised(Tensor x, Tensor quantisedWeight)
    {
        using var scope = NewDisposeScope();
        var xq = Fp8Quantiser.TileWiseRoundTrip(x);                    // (M, K)
        return xq.matmul(quantisedWeight.t()).MoveToOuterDisposeScope(); // (M, N)
    }

    /// <summary>Dgrad: dx = q(dy)·q(W), the output gradient tiled along N.</summary>
    /// <param name="gradOutput">(M, N)</param>
    /// <param name="weight">(N, K)</param>
    /// <returns>(M, K)</returns>
    public static Tensor Dgrad(Tensor gradOutput, Tensor weight)
    {
        using var scope = NewDisposeScope();
        return DgradQuantised(gradOutput, QuantiseWeight(weight)).MoveToOuterDisposeScope();
    }

    /// <summary>Dgrad with the weight already quantised, as Fprop quantised it.</summary>
    /// <param name="gradOutput">(M, N)</param>
    /// <param name="quantisedWeight">(N, K), q(W)</param>
    public static Tensor DgradQuantised(Tensor gradOutput, Tensor quantisedWeight)
    {
        using var scope = NewDisposeScope();
        var dyq = Fp8Quantiser.TileWiseRoundTrip(gradOutput);             // (M, N)
        return dyq.matmul(quantisedWeight).MoveToOuterDisposeScope();     // (M, K)
    }

    /// <summary>Wgrad: dW = q(dyᵀ)·q(xᵀ)ᵀ, both operands tiled along the token dimension M (128×1 tiles of the
    /// original layout), which is this GEMM's reduction dimension.</summary>
    /// <param name="gradOutput">(M, N)</param>
    /// <param name="x">(M, K)</param>
    /// <returns>(N, K)</returns>
    public static Tensor Wgrad(Tensor gradOutput, Tensor x)
    {
        using var scope = NewDisposeScope();
        var dyTq = Fp8Quantiser.TileWiseRoundTrip(gradOutput.t());  // (N, M)
        var xTq = Fp8Quantiser.TileWiseRoundTrip(x.t());            // (K, M)
        return dyTq.matmul(xTq.t()).MoveToOuterDisposeScope();      // (N, K)
    }
}
