using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Tests.Unit.Policy.Fp8;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class Bf16LinearTests
{
    static double RelativeError(Tensor actual, Tensor expected) => ((actual - expected).norm() / expected.norm()).item<float>();

    static Tensor Bf16(Tensor t) => t.to(bfloat16).to(float32);

    [Fact]
    public void Each_gemm_multiplies_bf16_operands_and_rounds_its_product_to_bf16()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var weight = randn([40, 150], generator: generator) * 0.05f;
        var x = randn([3, 4, 150], generator: generator);
        var upstream = randn([3, 4, 40], generator: generator);

        var (y, dx, dw) = Fp8LinearTests.RunLinear(weight, x, upstream, LinearPrecision.Bf16);

        // What the layer must compute: each product of BF16-rounded operands (libtorch accumulates in FP32), rounded to
        // BF16 once. The same products of FP32 operands differ by BF16's operand rounding (2^-9 relative each).
        var expectedY = Bf16(Bf16(x).matmul(Bf16(weight).t()));
        var expectedDx = Bf16(Bf16(upstream).matmul(Bf16(weight)));
        var expectedDw = Bf16(Bf16(upstream).reshape(-1, 40).t().matmul(Bf16(x).reshape(-1, 150)));
        Assert.True(RelativeError(y, expectedY) < 4e-3, $"y: {RelativeError(y, expectedY)}");
        Assert.True(RelativeError(dx, expectedDx) < 4e-3, $"dx: {RelativeError(dx, expectedDx)}");
        Assert.True(RelativeError(dw, expectedDw) < 4e-3, $"dw: {RelativeError(dw, expectedDw)}");

        var (y32, dx32, dw32) = Fp8LinearTests.RunLinear(weight, x, upstream, LinearPrecision.Fp32);
        Assert.InRange(RelativeError(y, y32), 1e-4, 1e-2);    // close to FP32, and not FP32 in disguise
        Assert.InRange(RelativeError(dx, dx32), 1e-4, 1e-2);
        Assert.InRange(RelativeError(dw, dw32), 1e-4, 1e-2);
        Assert.Equal(float32, y.dtype);
        Assert.Equal(float32, dw.dtype);                      // the master weight's gradient is FP32
    }

    [Fact]
    public void A_bf16_linear_layer_starts_from_nn_Linear_s_weights_and_bias_with_the_same_seed()
    {
        using var scope = NewDisposeScope();
        manual_seed(22);
        using var fp32 = nn.Linear(200, 72, hasBias: true);
        manual_seed(22);
        using var bf16 = new Bf16Linear(200, 72, hasBias: true);

        var expected = fp32.state_dict();
        var actual = bf16.state_dict();
        Assert.Equal(["weight", "bias"], actual.Keys);
        Assert.All(expected, kv => Assert.Equal(0f, (kv.Value - actual[kv.Key]).abs().max().item<float>()));
        Assert.All(actual.Values, v => Assert.Equal(float32, v.dtype));
    }

    [Fact]
    public void A_bf16_policy_has_bf16_decoder_projections_the_fp32_state_dict_and_fp32_log_probs_close_to_fp32s()
    {
        using var scope = NewDisposeScope();
        var config = Fp8LinearTests.TinyConfig();
        manual_seed(3);
        using var fp32 = new CausalLm(config);
        manual_seed(3);
        using var bf16 = new CausalLm(config with { Precision = LinearPrecision.Bf16 });

        var modules = bf16.named_modules().ToDictionary(m => m.name, m => m.module);
        Assert.IsType<Bf16Linear>(modules["model.layers.0.self_attn.q_proj"]);
        Assert.IsType<Bf16Linear>(modules["model.layers.1.mlp.down_proj"]);
        Assert.IsType<Linear>(modules["lm_head"]);
        Assert.Equal(fp32.state_dict().Keys, bf16.state_dict().Keys);

        using var layout = TokenLayout.Build([[1, 5, 6], [1, 7]], [[8, 9, 10, 2], [11, 12, 2]], padId: 0);
        var a = SequenceLogProbs.Compute(fp32, layout);
        var b = SequenceLogProbs.Compute(bf16, layout);
        Assert.Equal(float32, b.dtype);
        Assert.InRange((a - b).abs().max().item<float>(), 1e-6, 0.05);
    }
}
