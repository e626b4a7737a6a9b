using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>
/// Linear layers that read the same input — attention's q, k and v; the MLP's gate and up — computed as one product
/// over their weights stacked by rows, then split: one GEMM instead of three (or two), so the input is packed once,
/// and one GEMM backward for the input's gradient instead of several and their sum. The layers keep their own
/// parameters and state-dict names (Hugging Face's), so checkpoints do not change; stacking copies the weights
/// (kilobytes at the demo's size) at each call, and autograd hands each layer its rows of the stacked gradient.
/// <para>FP32 layers (<c>nn.Linear</c>, in any dtype) and BF16 mixed-precision layers (<see cref="Bf16Linear"/>,
/// whose stacked weight is cast to BF16 once, like the input) stack; FP8 layers (<see cref="Fp8.Fp8Linear"/>) and any
/// mix run one by one, since FP8 scales each weight in its own 128×128 blocks.</para>
/// </summary>
public static class StackedLinear
{
    /// <param name="input">(…, in), the input every layer reads</param>
    /// <returns>each layer's output (…, out_i), in the layers' order; views into one tensor when stacked</returns>
    public static Tensor[] Forward(Tensor input, params nn.Module<Tensor, Tensor>[] layers) => Forward(input, keepBf16: false, null, layers);

    /// <summary>As <see cref="Forward(Tensor, nn.Module{Tensor, Tensor}[])"/>; with <paramref name="keepBf16"/>,
    /// BF16 mixed-precision layers return their BF16 product as it is instead of casting it back to the input's dtype,
    /// for work that may run in BF16 (the MLP's SwiGLU, as PyTorch's autocast runs it).</summary>
    public static Tensor[] Forward(Tensor input, bool keepBf16, params nn.Module<Tensor, Tensor>[] layers) => Forward(input, keepBf16, null, layers);

    /// <summary>As <see cref="Forward(Tensor, nn.Module{Tensor, Tensor}[])"/>, each layer's output features in the
    /// order its <paramref name="rowOrders"/> entry gives (its weight's and bias's rows taken in that order; null
    /// keeps a layer's own order).</summary>
    public static Tensor[] Forward(Tensor input, IReadOnlyList<Tensor?> rowOrders, params nn.Module<Tensor, Tensor>[] layers) =>
        Forward(input, keepBf16: false, rowOrders, layers);

    static Tensor[] Forward(Tensor input, bool keepBf16, IReadOnlyList<Tensor?>? rowOrders, nn.Module<Tensor, Tensor>[] layers)
    {
        if (rowOrders is not null && rowOrders.Count != layers.Length) throw new ArgumentException("one row order (or null) per layer is required");
        Tensor? OrderOf(int layer) => rowOrders?[layer];
        if (layers.All(l => l is Linear))
        {
            var linears = layers.Cast<Linear>().ToArray();
            return Stacked(input, linears.Select((l, i) => Rows(l.weight!, OrderOf(i))), linears.Select((l, i) => l.bias is null ? null : Rows(l.bias, OrderOf(i))),
                bf16: false, keepBf16: false);
        }
        if (layers.All(l => l is Bf16Linear))
        {
            var linears = layers.Cast<Bf16Linear>().ToArray();
            return Stacked(input, linears.Select((l, i) => Rows(l.Weight, OrderOf(i))), linears.Select((l, i) => l.Bias is null ? null : Rows(l.Bias, OrderOf(i))),
                bf16: true, keepBf16);
        }
        return layers.Select((l, i) => OrderOf(i) is { } order ? l.forward(input).index_select(-1, order) : l.forward(input)).ToArray();
    }

    static Tensor Rows(Tensor parameter, Tensor? order) => order is null ? parameter : parameter.index_select(0, order);

    static Tensor[] Stacked(Tensor input, IEnumerable<Tensor> weights, IEnumerable<Tensor?> biases, bool bf16, bool keepBf16)
    {
        var parts = weights.ToArray();
        var stacked = Product(input, parts, biases.ToArray(), bf16, keepBf16);
        var outputs = stacked.split(parts.Select(w => w.shape[0]).ToArray(), dim: -1);
        stacked.Dispose();
        return outputs;
    }

    static Tensor Product(Tensor input, Tensor[] weights, Tensor?[] biases, bool bf16, bool keepBf16)
    {
        using var scope = NewDisposeScope();
        var weight = cat(weights, dim: 0);                                              // (Σ out, in)
        var bias = biases switch
        {
            _ when biases.All(b => b is not null) => cat(biases!, dim: 0),
            _ when biases.All(b => b is null) => null,
            _ => throw new ArgumentException("stacked layers must all have a bias or all have none"),
        };
        if (!bf16) return nn.functional.linear(input, weight, bias).MoveToOuterDisposeScope();
        var dtype = keepBf16 ? bfloat16 : input.dtype;
        var output = nn.functional.linear(input.to(bfloat16), weight.to(bfloat16)).to(dtype);
        return (bias is null ? output : output.Plus(bias.to(dtype))).MoveToOuterDisposeScope();
    }
}
