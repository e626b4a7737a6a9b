using Pipeline.Policy.Model;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>A linear layer whose three GEMMs run with FP8 operands (<see cref="Fp8Gemm"/>); its <c>weight</c> is the
/// FP32 master weight and its optional <c>bias</c> stays FP32 (added after the GEMM), with <c>nn.Linear</c>'s
/// state-dict names and initialisation, so an FP32 and an FP8 policy built from one seed start identical and share
/// checkpoints.</summary>
public sealed class Fp8Linear : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter? bias;

    public Fp8Linear(long inFeatures, long outFeatures, bool hasBias = false) : base(nameof(Fp8Linear))
    {
        (weight, bias) = LinearLayer.InitialParameters(inFeatures, outFeatures, hasBias);
        RegisterComponents();
    }

    public Parameter Weight => weight;

    /// <param name="input">(…, in)</param>
    /// <returns>(…, out)</returns>
    public override Tensor forward(Tensor input)
    {
        var output = Fp8LinearFunction.apply(input, weight);
        return bias is null ? output : output.Plus(bias);
    }
}
