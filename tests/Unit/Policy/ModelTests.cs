using Pipeline.Policy.Model;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

[Collection(TorchCollection.Name)]
public sealed class ModelTests
{
    const float B = AttentionMasks.Blocked;

    // Row 0 is left-padded by one position; row 1 is all real tokens.
    static Tensor KeyMask() => tensor(new[] { false, true, true, true, true, true }, [2, 3]);

    [Fact]
    public void The_causal_mask_blocks_later_keys_and_padding()
    {
        using var scope = NewDisposeScope();

        var mask = AttentionMasks.Causal(KeyMask(), 3);

        Assert.Equal([2L, 1, 3, 3], mask.shape);
        float[] expected =
        [
            B, B, B,  // row 0, query 0 (a pad): every key blocked
            B, 0, B,  // query 1 sees itself
            B, 0, 0,  // query 2 sees positions 1 and 2
            0, B, B,  // row 1: lower triangle
            0, 0, B,
            0, 0, 0,
        ];
        Assert.Equal(expected, mask.data<float>().ToArray());
    }

    [Fact]
    public void The_causal_mask_for_the_newest_query_covers_all_earlier_real_keys()
    {
        using var scope = NewDisposeScope();

        var mask = AttentionMasks.Causal(KeyMask(), 1);

        Assert.Equal([2L, 1, 1, 3], mask.shape);
        Assert.Equal([B, 0, 0, 0, 0, 0], mask.data<float>().ToArray());
    }

    [Fact]
    public void Positions_count_real_tokens_only()
    {
        using var scope = NewDisposeScope();
        var keyMask = tensor(new[] { false, false, true, true, true, true, true, true }, [2, 4]);

        var positions = AttentionMasks.Positions(keyMask);

        Assert.Equal(int64, positions.dtype);
        Assert.Equal([0L, 0, 0, 1, 0, 1, 2, 3], positions.data<long>().ToArray());
    }

    [Fact]
    public void Rotary_position_zero_is_the_identity()
    {
        using var scope = NewDisposeScope();
        using var rotary = new RotaryTables(headDim: 8, maxPositions: 16, theta: 10000);
        manual_seed(1);
        var x = randn(2, 4, 3, 8); // (B, T, H, D)

        var rotations = rotary.At(zeros(2, 4, dtype: int64));

        Assert.Equal([2L, 4, 1, 4], rotations.shape);
        Assert.Equal(ScalarType.ComplexFloat32, rotations.dtype);
        Assert.True(TinyPolicy.Identical(view_as_real(rotations), stack([ones(2, 4, 1, 4), zeros(2, 4, 1, 4)], dim: -1)));
        Assert.True(TinyPolicy.Identical(RotaryTables.Apply(x, rotations), x));
    }

    [Fact]
    public void Rotary_pairs_sit_side_by_side_in_each_head()
    {
        // Head dim 4: dimension j turns with j + 2, so the order is 0, 2, 1, 3 — per head, offset by the head.
        Assert.Equal([0L, 2, 1, 3, 4, 6, 5, 7], RotaryTables.PairedOrder(heads: 2, headDim: 4));
    }

    [Fact]
    public void Rotary_position_one_rotates_each_pair_of_halves_by_its_frequency()
    {
        using var scope = NewDisposeScope();
        using var rotary = new RotaryTables(headDim: 4, maxPositions: 4, theta: 10000);
        // Head dim 4: inverse frequencies 10000^(−0/4) = 1 and 10000^(−2/4) = 0.01; dims (0, 2) and (1, 3) are pairs,
        // laid side by side (x0, x2, x1, x3) as the attention's reordered q and k projections give them.
        var x = tensor(new[] { 1f, 3f, 2f, 4f }, [1, 1, 1, 4]);

        var y = RotaryTables.Apply(x, rotary.At(ones(1, 1, dtype: int64))).data<float>().ToArray();

        // (x0, x2) rotated by 1 rad, (x1, x3) by 0.01 rad: y0 = x0 cos − x2 sin, y2 = x2 cos + x0 sin.
        double[] expected =
        [
            1 * Math.Cos(1) - 3 * Math.Sin(1),
            3 * Math.Cos(1) + 1 * Math.Sin(1),
            2 * Math.Cos(0.01) - 4 * Math.Sin(0.01),
            4 * Math.Cos(0.01) + 2 * Math.Sin(0.01),
        ];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], y[i], 1e-6);
    }

    [Fact]
    public void State_dict_names_are_hugging_face_llama_names_and_nothing_else()
    {
        using var policy = TinyPolicy.Create(seed: 1);

        string[] perLayer =
        [
            "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
            "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
            "input_layernorm.weight", "post_attention_layernorm.weight",
        ];
        var expected = new[] { "model.embed_tokens.weight", "model.norm.weight", "lm_head.weight" }
            .Concat(Enumerable.Range(0, 2).SelectMany(i => perLayer.Select(name => $"model.layers.{i}.{name}")))
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, policy.state_dict().Keys.Order(StringComparer.Ordinal));
        var shapes = policy.state_dict();
        Assert.Equal([265L, 32], shapes["model.embed_tokens.weight"].shape);
        Assert.Equal([64L, 32], shapes["model.layers.1.mlp.gate_proj.weight"].shape);
        Assert.Equal([265L, 32], shapes["lm_head.weight"].shape);
    }

    [Fact]
    public void Logits_reject_positions_beyond_max_position_embeddings()
    {
        using var scope = NewDisposeScope();
        using var policy = TinyPolicy.Create(seed: 1);
        var keyMask = ones(1, 1, dtype: @bool);

        var error = Assert.Throws<ArgumentException>(() =>
            policy.Logits(zeros(1, 1, dtype: int64), full(1, 1, 128L), AttentionMasks.Causal(keyMask, 1)));

        Assert.Contains("max_position_embeddings (128)", error.Message);
    }
}
