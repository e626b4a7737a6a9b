using Pipeline.Policy.Fp8;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Causal multi-head self-attention with rotary positions and an optional KV cache.</summary>
public sealed class Attention : nn.Module
{
    readonly nn.Module<Tensor, Tensor> q_proj, k_proj, v_proj, o_proj;
    readonly int _heads, _headDim;

    public Attention(PolicyConfig config) : base(nameof(Attention))
    {
        _heads = config.NumAttentionHeads;
        _headDim = config.HeadDim;
        q_proj = Fp8Linear.Create(config.HiddenSize, config.HiddenSize, config.Precision);
        k_proj = Fp8Linear.Create(config.HiddenSize, config.HiddenSize, config.Precision);
        v_proj = Fp8Linear.Create(config.HiddenSize, config.HiddenSize, config.Precision);
        o_proj = Fp8Linear.Create(config.HiddenSize, config.HiddenSize, config.Precision);
        RegisterComponents();
    }

    /// <param name="x">(B, T, C)</param>
    /// <param name="mask">additive, (B, 1, T, S) where S counts cached plus new positions</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache? cache, int layer)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        var q = q_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);  // (B, H, T, D)
        var k = k_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);  // (B, H, T, D)
        var v = v_proj.forward(x).view(b, t, _heads, _headDim).transpose(1, 2);  // (B, H, T, D)
        q = RotaryTables.Apply(q, cos, sin);
        k = RotaryTables.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Append(layer, k, v);               // (B, H, S, D)
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(_headDim) + mask; // (B, H, T, S)
        var y = scores.softmax(-1).matmul(v);                                     // (B, H, T, D)
        return o_proj.forward(y.transpose(1, 2).reshape(b, t, c));               // (B, T, C)
    }
}
