using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>A linear layer for mixed-precision training: its <c>weight</c> is the FP32 master weight (AdamW updates it
/// in FP32), and each GEMM — the forward product and, through autograd, both backward products — runs on BF16 operands
/// (libtorch accumulates in FP32 and rounds the product to BF16, as PyTorch's autocast does). The input is cast to BF16
/// on the way in and the output back to the input's dtype on the way out, so the residual stream, norms, attention
/// products, softmax and log-probs stay FP32. <c>nn.Linear</c>'s state-dict names and initialisation,
/// so FP32 and BF16 policies built from one seed start identical and share checkpoints.</summary>
public sealed class Bf16Linear : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter? bias;

    public Bf16Linear(long inFeatures, long outFeatures, bool hasBias = false) : base(nameof(Bf16Linear))
    {
        (weight, bias) = LinearLayer.InitialParameters(inFeatures, outFeatures, hasBias);
        RegisterComponents();
    }

    /// <summary>The FP32 master weight (out, in).</summary>
    public Parameter Weight => weight;

    /// <summary>The FP32 bias (out), if the layer has one.</summary>
    public Parameter? Bias => bias;

    /// <param name="input">(…, in)</param>
    /// <returns>(…, out), in the input's dtype</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = nn.functional.linear(input.to(bfloat16), weight.to(bfloat16)).to(input.dtype);
        if (bias is not null) output = output.Plus(bias.to(input.dtype));
        return output.MoveToOuterDisposeScope();
    }
}
