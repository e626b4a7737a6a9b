using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

/// <summary>Layers that read one input, computed as one product: each layer's output and each parameter's gradient
/// are what the layers give on their own.</summary>
[Collection(TorchCollection.Name)]
public sealed class StackedLinearTests
{
    [Fact]
    public void Stacked_fp32_layers_give_each_layer_s_output_and_gradients()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var layers = new[] { nn.Linear(16, 8, hasBias: true), nn.Linear(16, 4, hasBias: true), nn.Linear(16, 4, hasBias: true) };
        var x = randn(2, 5, 16);

        var apart = layers.Select(l => l.forward(x)).ToArray();
        var apartGrads = Gradients(layers, apart);
        var stacked = StackedLinear.Forward(x, layers);
        var stackedGrads = Gradients(layers, stacked);

        Assert.Equal([8L, 4, 4], stacked.Select(o => o.shape[^1]));
        for (int i = 0; i < layers.Length; i++) Assert.True(stacked[i].allclose(apart[i], rtol: 1e-5, atol: 1e-6), $"output {i}");
        for (int i = 0; i < apartGrads.Length; i++) Assert.True(stackedGrads[i].allclose(apartGrads[i], rtol: 1e-5, atol: 1e-6), $"gradient {i}");
    }

    [Fact]
    public void Stacked_bf16_layers_cast_the_product_back_unless_asked_to_keep_bf16()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var layers = new[] { new Bf16Linear(16, 8), new Bf16Linear(16, 8) };
        var x = randn(3, 16);

        var apart = layers.Select(l => l.forward(x)).ToArray();
        var cast = StackedLinear.Forward(x, layers);
        var kept = StackedLinear.Forward(x, keepBf16: true, layers);

        for (int i = 0; i < layers.Length; i++)
        {
            Assert.Equal(ScalarType.Float32, cast[i].dtype);
            Assert.Equal(ScalarType.BFloat16, kept[i].dtype);
            // BF16 operands, FP32 accumulation, the product rounded to BF16 either way: the same numbers.
            Assert.True(cast[i].allclose(apart[i], rtol: 1e-2, atol: 1e-2), $"output {i}");
            Assert.True(TinyPolicy.Identical(kept[i].to(float32), cast[i]), $"kept output {i}");
        }
    }

    [Fact]
    public void Fp8_layers_run_one_by_one()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var layers = new[] { new Fp8Linear(128, 128), new Fp8Linear(128, 128) };
        var x = randn(4, 128);

        var apart = layers.Select(l => l.forward(x)).ToArray();
        var stacked = StackedLinear.Forward(x, layers);

        for (int i = 0; i < layers.Length; i++) Assert.True(TinyPolicy.Identical(stacked[i], apart[i]), $"output {i}");
    }

    [Fact]
    public void A_row_order_gives_a_layer_s_output_features_in_that_order()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var fp32 = new[] { nn.Linear(8, 4, hasBias: true), nn.Linear(8, 4, hasBias: true) };
        var fp8 = new[] { new Fp8Linear(128, 4), new Fp8Linear(128, 4) };
        var order = tensor(new long[] { 0, 2, 1, 3 });

        foreach (var (layers, x) in new (nn.Module<Tensor, Tensor>[], Tensor)[] { (fp32, randn(3, 8)), (fp8, randn(3, 128)) })
        {
            var reordered = StackedLinear.Forward(x, [order, null], layers);
            Assert.True(reordered[0].allclose(layers[0].forward(x).index_select(-1, order), rtol: 1e-5, atol: 1e-6));
            Assert.True(reordered[1].allclose(layers[1].forward(x), rtol: 1e-5, atol: 1e-6));
        }
    }

    /// <summary>Every parameter's gradient of Σ outputs² (cleared first), in the layers' order.</summary>
    static Tensor[] Gradients(nn.Module[] layers, Tensor[] outputs)
    {
        foreach (var layer in layers) layer.zero_grad();
        outputs.Select(o => o.square().sum()).Aggregate((a, b) => a + b).backward();
        return layers.SelectMany(l => l.parameters()).Select(p => p.grad!.clone()).ToArray();
    }
}
