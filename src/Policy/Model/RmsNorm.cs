using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Root-mean-square layer norm (Zhang &amp; Sennrich 2019), as in Llama: no mean subtraction, no bias; the
/// statistics in FP32 whatever the compute dtype, as transformers' <c>LlamaRMSNorm</c> does.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly double _eps;

    public RmsNorm(int dim, double eps) : base(nameof(RmsNorm))
    {
        weight = nn.Parameter(ones(dim));
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(float32);
        var normalised = x32 * rsqrt(x32.Squared().mean([-1], keepdim: true).Plus(Scalars.Of(_eps)));
        return (weight * normalised.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
