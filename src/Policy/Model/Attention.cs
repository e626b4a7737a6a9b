using Pipeline.Policy.Fp8;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Causal self-attention with rotary positions, grouped-query attention (Ainslie et al. 2023: each key/value
/// head serves <c>heads / kvHeads</c> query heads; the cache holds only the key/value heads) and an optional KV cache.
/// Qwen2's q/k/v biases and Llama's <c>attention_bias</c> come from the config. Attention is libtorch's fused
/// scaled-dot-product kernel, whose softmax accumulates in FP32 whatever the compute dtype, except for a decode step
/// on the CPU (one new token over a KV cache), which runs as two batched products (<see cref="DecodeStep"/>); it runs in the dtype of
/// <see cref="DtypeFor"/>, FP32 on the CPU.</summary>
public sealed class Attention : nn.Module
{
    readonly nn.Module<Tensor, Tensor> q_proj, k_proj, v_proj, o_proj;
    readonly int _heads, _kvHeads, _headDim;
    readonly RowOrder _queryPairs, _keyPairs;

    public Attention(PolicyConfig config) : base(nameof(Attention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.KeyValueHeads;
        _headDim = config.HeadDim;
        q_proj = LinearLayer.Create(config.HiddenSize, _heads * _headDim, config.Precision, config.QkvBias);
        k_proj = LinearLayer.Create(config.HiddenSize, _kvHeads * _headDim, config.Precision, config.QkvBias);
        v_proj = LinearLayer.Create(config.HiddenSize, _kvHeads * _headDim, config.Precision, config.QkvBias);
        o_proj = LinearLayer.Create(_heads * _headDim, config.HiddenSize, config.Precision, config.OutputBias);
        _queryPairs = new RowOrder(RotaryTables.PairedOrder(_heads, _headDim));
        _keyPairs = new RowOrder(RotaryTables.PairedOrder(_kvHeads, _headDim));
        RegisterComponents();
    }

    /// <summary>The dtype attention runs in, and the KV cache holds: the compute dtype on a GPU, FP32 on the CPU.
    /// libtorch's CPU kernel is 2–3× slower in BF16 than in FP32 at a decode step's shape (one query over the cached keys:
    /// 0.91 against 0.35 ms a layer at 128 rows × 50 keys of the demo's model), where it was most of a BF16 decode step;
    /// BF16 keys and values are exact in FP32, and the learner, whose activations are FP32, attends in FP32 too. Uncached
    /// passes (the reference's log-probs) attend in FP32 as well, so that sampling with and without a cache computes
    /// the same thing.</summary>
    public static ScalarType DtypeFor(Device device, ScalarType compute) => device.type == DeviceType.CPU ? ScalarType.Float32 : compute;

    /// <param name="x">(B, T, C)</param>
    /// <param name="mask">additive, (B, 1, T, S) where S counts cached plus new positions</param>
    /// <param name="rotations">(B, T, 1, HeadDim/2) the positions' rotary rotations (<see cref="RotaryTables.At"/>)</param>
    public Tensor Forward(Tensor x, Tensor rotations, Tensor mask, KvCache? cache, int layer)
    {
        long b = x.shape[0], t = x.shape[1];
        // One GEMM where the precision allows, q's and k's head dimensions in rotary pairs (the same order for both,
        // so q·k, and the cached keys' use, are unchanged).
        var qkv = StackedLinear.Forward(x, [_queryPairs.On(x.device), _keyPairs.On(x.device), null], q_proj, k_proj, v_proj);
        var dtype = DtypeFor(x.device, x.dtype);
        var q = RotaryTables.Apply(qkv[0].view(b, t, _heads, _headDim), rotations).to(dtype).transpose(1, 2);   // (B, H, T, D)
        var k = RotaryTables.Apply(qkv[1].view(b, t, _kvHeads, _headDim), rotations).to(dtype).transpose(1, 2); // (B, Hkv, T, D)
        var v = qkv[2].view(b, t, _kvHeads, _headDim).transpose(1, 2).to(dtype);                               // (B, Hkv, T, D)
        if (cache is not null) (k, v) = cache.Append(layer, k, v);                 // (B, Hkv, S, D)
        var y = t == 1 && cache is not null && x.device.type == DeviceType.CPU
            ? DecodeStep(q, k, v, mask.to(q.dtype), _heads / _kvHeads).to(x.dtype)
            : Fused(q, k, v, mask.to(q.dtype), _heads / _kvHeads).to(x.dtype);    // (B, H, T, D)
        return o_proj.forward(y.transpose(1, 2).reshape(b, t, _heads * _headDim));  // (B, T, C)
    }

    /// <summary>libtorch's fused kernel (flash attention on the CPU): softmax(q·kᵀ/√D + mask)·v in tiles with FP32
    /// accumulation, never laying out the (B, H, T, S) scores — at long traces that tensor's memory traffic, not the
    /// GEMMs, was the step's cost.</summary>
    /// <param name="q">(B, H, T, D)</param>
    /// <param name="k">(B, Hkv, S, D)</param>
    /// <param name="mask">(B, 1, T, S) additive</param>
    static Tensor Fused(Tensor q, Tensor k, Tensor v, Tensor mask, int group)
    {
        if (group > 1)
        {
            k = k.repeat_interleave(group, dim: 1);                                  // (B, H, S, D)
            v = v.repeat_interleave(group, dim: 1);                                  // (B, H, S, D)
        }
        return nn.functional.scaled_dot_product_attention(q, k, v, mask);
    }

    /// <summary>One new query per row over its cached keys, as two batched products and a softmax: the same sum as
    /// <see cref="Fused"/>, for the CPU, where attention runs in FP32 (on a GPU, in BF16, the fused kernel keeps its FP32
    /// softmax). The fused kernel runs a tile loop per (row, head), which at one query is a
    /// matrix-vector product each — 2·B·H library calls a layer, 20–35 % slower than these batched products at the
    /// demo's decode shapes (128 rows × 4 heads × 40–120 keys; a whole 128 × 64-token sampling call 8–13 % faster so). A key/value head's query heads share one product over
    /// its keys, so grouped-query attention reads each cached key once and copies none.</summary>
    /// <param name="q">(B, H, 1, D)</param>
    /// <param name="k">(B, Hkv, S, D)</param>
    /// <param name="mask">(B, 1, 1, S) additive</param>
    /// <returns>(B, H, 1, D)</returns>
    public static Tensor DecodeStep(Tensor q, Tensor k, Tensor v, Tensor mask, int group)
    {
        using var scope = NewDisposeScope();
        long b = q.shape[0], h = q.shape[1], d = q.shape[3], kvHeads = k.shape[1];
        var grouped = q.reshape(b, kvHeads, group, d);                                 // (B, Hkv, G, D): a key head's queries
        var scores = grouped.matmul(k.transpose(2, 3)).mul_(Scalars.Of(1.0 / Math.Sqrt(d))).add_(mask); // (B, Hkv, G, S)
        var y = scores.softmax(-1).matmul(v);                                        // (B, Hkv, G, D)
        return y.view(b, h, 1, d).MoveToOuterDisposeScope();
    }

    /// <summary>A row order as indices, kept on the device the layer last ran on (not a tensor field: the module would
    /// register it as a buffer, and checkpoints hold only learned weights).</summary>
    sealed class RowOrder(long[] order)
    {
        Tensor? _onDevice;

        public Tensor On(Device device)
        {
            if (_onDevice is null || _onDevice.device.type != device.type || _onDevice.device.index != device.index)
            {
                _onDevice?.Dispose();
                _onDevice = tensor(order, device: device).DetachFromDisposeScope();
            }
            return _onDevice;
        }
    }
}
