using Pipeline.Policy.Fp8;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

public static class LinearLayer
{
    /// <summary>A decoder linear layer of the given precision: <c>nn.Linear</c> for FP32, <see cref="Bf16Linear"/> for
    /// BF16 mixed precision, <see cref="Fp8Linear"/> for FP8. Each has <c>weight</c> (out, in) and, when asked, <c>bias</c>
    /// (out), FP32 master weights, and draws the same initial values from one seed.</summary>
    public static nn.Module<Tensor, Tensor> Create(long inFeatures, long outFeatures, LinearPrecision precision, bool hasBias = false) => precision switch
    {
        LinearPrecision.Fp32 => nn.Linear(inFeatures, outFeatures, hasBias: hasBias),
        LinearPrecision.Bf16 => new Bf16Linear(inFeatures, outFeatures, hasBias),
        LinearPrecision.Fp8 => new Fp8Linear(inFeatures, outFeatures, hasBias),
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };

    /// <summary>A weight (out, in) and optional bias (out) initialised as <c>nn.Linear</c> initialises its own, drawing
    /// the same random numbers, so layers of every precision built from one seed start identical.</summary>
    public static (Parameter Weight, Parameter? Bias) InitialParameters(long inFeatures, long outFeatures, bool hasBias)
    {
        var weight = nn.Parameter(empty(outFeatures, inFeatures));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (!hasBias) return (weight, null);
        double bound = 1 / Math.Sqrt(inFeatures);
        var bias = nn.Parameter(empty(outFeatures));
        nn.init.uniform_(bias, -bound, bound);
        return (weight, bias);
    }
}
