using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>A bias-free linear layer whose three GEMMs run with FP8 operands (<see cref="Fp8Gemm"/>); its
/// <c>weight</c> is the FP32 master weight, with <c>nn.Linear</c>'s state-dict name and initialisation, so an FP32
/// and an FP8 policy built from one seed start identical and share checkpoints.</summary>
public sealed class Fp8Linear : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;

    public Fp8Linear(long inFeatures, long outFeatures) : base(nameof(Fp8Linear))
    {
        weight = nn.Parameter(empty(outFeatures, inFeatures));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5)); // what nn.Linear does, drawing the same random numbers
        RegisterComponents();
    }

    public Parameter Weight => weight;

    /// <param name="input">(…, in)</param>
    /// <returns>(…, out)</returns>
    public override Tensor forward(Tensor input) => Fp8LinearFunction.apply(input, weight);

    /// <summary>A bias-free linear layer of the given precision: <c>nn.Linear</c> for FP32, <see cref="Fp8Linear"/>
    /// for FP8. Both have one parameter, <c>weight</c> (out, in).</summary>
    public static nn.Module<Tensor, Tensor> Create(long inFeatures, long outFeatures, LinearPrecision precision) => precision switch
    {
        LinearPrecision.Fp32 => nn.Linear(inFeatures, outFeatures, hasBias: false),
        LinearPrecision.Fp8 => new Fp8Linear(inFeatures, outFeatures),
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };
}
