using Pipeline.Policy.Fp8;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>SwiGLU feed-forward block (Shazeer 2020), as in Llama: down(silu(gate(x)) · up(x)).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> gate_proj, up_proj, down_proj;

    public Mlp(PolicyConfig config) : base(nameof(Mlp))
    {
        gate_proj = LinearLayer.Create(config.HiddenSize, config.IntermediateSize, config.Precision);
        up_proj = LinearLayer.Create(config.HiddenSize, config.IntermediateSize, config.Precision);
        down_proj = LinearLayer.Create(config.IntermediateSize, config.HiddenSize, config.Precision);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        down_proj.forward(nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x));
}
