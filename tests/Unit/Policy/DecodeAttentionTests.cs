using Pipeline.Policy.Model;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

/// <summary>The decode step's attention (one new query per row over its cached keys) against libtorch's fused kernel
/// over the same keys, each key/value head repeated for its query heads.</summary>
[Collection(TorchCollection.Name)]
public sealed class DecodeAttentionTests
{
    [Theory]
    [InlineData(4, 4)] // multi-head
    [InlineData(8, 4)] // grouped-query, two query heads a key head (the stories260K fixture's shape)
    [InlineData(4, 1)] // multi-query
    public void A_decode_step_attends_as_the_fused_kernel_does(int heads, int kvHeads)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        const int rows = 3, keys = 7, dim = 8;
        var q = randn(rows, heads, 1, dim);
        var k = randn(rows, kvHeads, keys, dim);
        var v = randn(rows, kvHeads, keys, dim);
        // Row 0 sees every key; row 1 has two padding keys in front; row 2 sees only its last key.
        var allowed = ones(rows, keys, dtype: @bool);
        allowed[1, ..2] = tensor(false);
        allowed[2, ..^1] = tensor(false);
        var mask = zeros(rows, 1, 1, keys).masked_fill(allowed.logical_not().view(rows, 1, 1, keys), AttentionMasks.Blocked);

        var decoded = Attention.DecodeStep(q, k, v, mask, heads / kvHeads);
        var fused = nn.functional.scaled_dot_product_attention(q, k.repeat_interleave(heads / kvHeads, dim: 1),
            v.repeat_interleave(heads / kvHeads, dim: 1), mask);

        Assert.Equal(new long[] { rows, heads, 1, dim }, decoded.shape);
        Assert.True(decoded.allclose(fused, rtol: 1e-5, atol: 1e-6), $"largest difference {(decoded - fused).abs().max().item<float>()}");
        // Row 2 attends to its last key alone: each head's output is that key's value, from its own key/value head.
        for (int h = 0; h < heads; h++)
            Assert.True(decoded[2, h, 0].allclose(v[2, h / (heads / kvHeads), keys - 1], atol: 1e-6));
    }
}
