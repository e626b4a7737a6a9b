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
        weight = nn.Parameter(empty(outFeatures, inFeatures));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5)); // what nn.Linear does, drawing the same random numbers
        if (hasBias)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            bias = nn.Parameter(empty(outFeatures));
            nn.init.uniform_(bias, -bound, bound);
        }
        RegisterComponents();
    }

    public Parameter Weight => weight;

    /// <param name="input">(…, in)</param>
    /// <returns>(…, out)</returns>
    public override Tensor forward(Tensor input)
    {
        var output = Fp8LinearFunction.apply(input, weight);
        return bias is null ? output : output + bias;
    }

    /// <summary>A linear layer of the given precision: <c>nn.Linear</c> for FP32, <see cref="Fp8Linear"/> for FP8.
    /// Both have <c>weight</c> (out, in) and, when asked, <c>bias</c> (out).</summary>
    public static nn.Module<Tensor, Tensor> Create(long inFeatures, long outFeatures, LinearPrecision precision, bool hasBias = false) => precision switch
    {
        LinearPrecision.Fp32 => nn.Linear(inFeatures, outFeatures, hasBias: hasBias),
        LinearPrecision.Fp8 => new Fp8Linear(inFeatures, outFeatures, hasBias),
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };
}
