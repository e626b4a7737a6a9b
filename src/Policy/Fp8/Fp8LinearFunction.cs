using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>The autograd function of <see cref="Fp8Linear"/>: forward is <see cref="Fp8Gemm.Fprop"/>, backward
/// <see cref="Fp8Gemm.Dgrad"/> and <see cref="Fp8Gemm.Wgrad"/>. The weight gradient comes back in FP32 for the FP32
/// master weight and optimizer state. Call through <c>apply(input, weight)</c>.</summary>
public sealed class Fp8LinearFunction : autograd.SingleTensorFunction<Fp8LinearFunction>
{
    public override string Name => "Fp8Linear";

    /// <param name="vars">input (…, K) and weight (N, K)</param>
    /// <returns>(…, N)</returns>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var weight = (Tensor)vars[1];
        ctx.save_for_backward([input, weight]);
        using var scope = NewDisposeScope();
        long k = input.shape[^1], n = weight.shape[0];
        long[] outputShape = [.. input.shape[..^1], n];
        return Fp8Gemm.Fprop(input.reshape(-1, k), weight).view(outputShape).MoveToOuterDisposeScope(); // (…, N)
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        Tensor input = saved[0], weight = saved[1];
        long k = input.shape[^1], n = weight.shape[0];
        var x = input.reshape(-1, k);                                              // (M, K)
        var dy = gradOutput.reshape(-1, n);                                        // (M, N)
        var gradInput = Fp8Gemm.Dgrad(dy, weight).view(input.shape);               // (…, K)
        var gradWeight = Fp8Gemm.Wgrad(dy, x);                                     // (N, K)
        return [gradInput.MoveToOuterDisposeScope(), gradWeight.MoveToOuterDisposeScope()];
    }
}
