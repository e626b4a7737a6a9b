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

    public override Tensor forward(Tensor x)
    {
        // One GEMM where the precision allows; with BF16 mixed-precision layers the products stay BF16, SwiGLU runs
        // in BF16 (as autocast and the BF16 rollout policy run it) and down_proj returns BF16, which the residual
        // stream's FP32 sum takes as it is.
        var gateUp = StackedLinear.Forward(x, keepBf16: true, gate_proj, up_proj);
        return down_proj.forward(nn.functional.silu(gateUp[0]) * gateUp[1]);
    }
}
