using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>The autograd function of <see cref="Fp8Linear"/>: forward is <see cref="Fp8Gemm.Fprop"/>, backward
/// <see cref="Fp8Gemm.Dgrad"/> and <see cref="Fp8Gemm.Wgrad"/>. The weight gradient comes back in FP32 for the FP32
/// master weight and optimizer state. The weight is quantised once, in forward, and the backward pass's Dgrad reuses
/// that q(W) (the weight cannot change in between). Call through <c>apply(input, weight)</c>.</summary>
public sealed class Fp8LinearFunction : autograd.SingleTensorFunction<Fp8LinearFunction>
{
    public override string Name => "Fp8Linear";

    /// <param name="vars">input (…, K) and weight (N, K)</param>
    /// <returns>(…, N)</returns>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var weight = (Tensor)vars[1];
        using var scope = NewDisposeScope();
        var quantisedWeight = Fp8Gemm.QuantiseWeight(weight.detach()).MoveToOuterDisposeScope();   // (N, K)
        ctx.save_for_backward([input, quantisedWeight]);
        long k = input.shape[^1], n = weight.shape[0];
        long[] outputShape = [.. input.shape[..^1], n];
        return Fp8Gemm.FpropQuantised(input.reshape(-1, k), quantisedWeight).view(outputShape).MoveToOuterDisposeScope(); // (…, N)
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        Tensor input = saved[0], quantisedWeight = saved[1];
        long k = input.shape[^1], n = quantisedWeight.shape[0];
        var x = input.reshape(-1, k);                                              // (M, K)
        var dy = gradOutput.reshape(-1, n);                                        // (M, N)
        var gradInput = Fp8Gemm.DgradQuantised(dy, quantisedWeight).view(input.shape); // (…, K)
        var gradWeight = Fp8Gemm.Wgrad(dy, x);                                     // (N, K)
        return [gradInput.MoveToOuterDisposeScope(), gradWeight.MoveToOuterDisposeScope()];
    }
}
