using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy.Fp8;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class Fp8LinearTests
{
    /// <summary>Both operands of each GEMM carry E4M3 rounding errors of at most 2^−4 = 6.25% each and about 2.5%
    /// RMS for Gaussian data under 128-wide scaling; independent errors of two operands give an output error near
    /// √2 · 2.5% ≈ 3.6% of its norm. 6% bounds that with room for the draw.</summary>
    const double RelativeTolerance = 0.06;

    static double RelativeError(Tensor actual, Tensor expected) => ((actual - expected).norm() / expected.norm()).item<float>();

    [Fact]
    public void Forward_and_both_gradients_are_within_six_percent_of_fp32()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var weight = randn([72, 200], generator: generator) * 0.05f;    // (N, K): K is not a multiple of 128
        var x = randn([2, 5, 200], generator: generator);               // (B, T, K)
        var upstream = randn([2, 5, 72], generator: generator);         // dL/dy
        var (y32, dx32, dw32) = RunLinear(weight, x, upstream, LinearPrecision.Fp32);

        var (y8, dx8, dw8) = RunLinear(weight, x, upstream, LinearPrecision.Fp8);

        Assert.Equal(new long[] { 2, 5, 72 }, y8.shape);
        Assert.InRange(RelativeError(y8, y32), 1e-3, RelativeTolerance);   // close, and not FP32 in disguise
        Assert.InRange(RelativeError(dx8, dx32), 1e-3, RelativeTolerance);
        Assert.InRange(RelativeError(dw8, dw32), 1e-3, RelativeTolerance);
    }

    [Fact]
    public void Each_gemm_multiplies_the_quantised_operands_in_fp32()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(6);
        var weight = randn([40, 150], generator: generator);
        var x = randn([3, 150], generator: generator);
        var upstream = randn([3, 40], generator: generator);

        var (y, dx, dw) = RunLinear(weight, x, upstream, LinearPrecision.Fp8);

        var wq = Fp8Quantiser.BlockWiseRoundTrip(weight);
        // Fprop: x tiled along K; Dgrad: dy tiled along N; Wgrad: dy and x tiled along the tokens
        var expectedY = Fp8Quantiser.TileWiseRoundTrip(x).matmul(wq.t());
        var expectedDx = Fp8Quantiser.TileWiseRoundTrip(upstream).matmul(wq);
        var expectedDw = Fp8Quantiser.TileWiseRoundTrip(upstream.t()).matmul(Fp8Quantiser.TileWiseRoundTrip(x.t()).t());
        Assert.True(RelativeError(y, expectedY) < 1e-6);
        Assert.True(RelativeError(dx, expectedDx) < 1e-6);
        Assert.True(RelativeError(dw, expectedDw) < 1e-6);
    }

    [Fact]
    public void An_fp8_linear_layer_starts_from_the_same_weights_as_nn_Linear_with_the_same_seed()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var fp32 = nn.Linear(200, 72, hasBias: false);
        manual_seed(21);
        using var fp8 = new Fp8Linear(200, 72);

        Assert.Equal(0f, (fp32.weight! - fp8.Weight).abs().max().item<float>());
        Assert.Equal(["weight"], fp8.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void An_fp8_policy_has_fp8_decoder_projections_and_the_fp32_policy_s_state_dict()
    {
        using var scope = NewDisposeScope();
        var config = TinyConfig();
        manual_seed(3);
        using var fp32 = new CausalLm(config);
        manual_seed(3);
        using var fp8 = new CausalLm(config with { Precision = LinearPrecision.Fp8 });

        var modules = fp8.named_modules().ToDictionary(m => m.name, m => m.module);
        Assert.IsType<Fp8Linear>(modules["model.layers.0.self_attn.q_proj"]);
        Assert.IsType<Fp8Linear>(modules["model.layers.1.mlp.down_proj"]);
        Assert.IsType<Linear>(modules["lm_head"]);
        Assert.IsType<Embedding>(modules["model.embed_tokens"]);
        var a = fp32.state_dict();
        var b = fp8.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a, kv => Assert.Equal(0f, (kv.Value - b[kv.Key]).abs().max().item<float>()));
    }

    [Fact]
    public void An_fp8_policy_learns_a_fixed_batch()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var policy = new CausalLm(TinyConfig() with { Precision = LinearPrecision.Fp8 });
        using var optimizer = optim.AdamW(policy.parameters(), 3e-3);
        using var layout = TokenLayout.Build([[1, 5, 6], [1, 7]], [[8, 9, 10, 2], [11, 12, 2]], padId: 0);
        var losses = new List<float>();

        for (int step = 0; step < 20; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var logProbs = SequenceLogProbs.Compute(policy, layout);
            var loss = -(logProbs * layout.CompletionMask).sum() / layout.CompletionMask.sum();
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.All(policy.parameters(), p => Assert.False(p.grad is null));
        Assert.True(losses[^1] < 0.5f * losses[0], $"loss went from {losses[0]} to {losses[^1]}");
    }

    internal static PolicyConfig TinyConfig() => CausalLm.DefaultConfig() with
    {
        HiddenSize = 32,
        IntermediateSize = 160,
        NumHiddenLayers = 2,
        NumAttentionHeads = 2,
        MaxPositionEmbeddings = 32,
    };

    internal static (Tensor Y, Tensor Dx, Tensor Dw) RunLinear(Tensor weight, Tensor x, Tensor upstream, LinearPrecision precision)
    {
        using var layer = LinearLayer.Create(weight.shape[1], weight.shape[0], precision);
        using (no_grad()) layer.parameters().Single().copy_(weight);
        var input = x.detach().clone().requires_grad_(true);
        var y = layer.forward(input);
        (y * upstream).sum().backward();
        return (y.detach(), input.grad!.detach().clone(), layer.parameters().Single().grad!.detach().clone());
    }
}
