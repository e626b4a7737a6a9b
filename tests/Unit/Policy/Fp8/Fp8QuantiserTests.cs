using Pipeline.Policy.Fp8;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy.Fp8;

/// <summary>E4M3 has 3 mantissa bits: in [2^e, 2^(e+1)) its values are 2^(e−3) apart, so the relative rounding
/// error of a normal value is at most 2^−4; below 2^−6 values are subnormal, multiples of 2^−9.</summary>
public sealed class Fp8QuantiserTests
{
    static float[] Values(Tensor t) => t.to(float32).data<float>().ToArray();

    [Fact]
    public void Cast_rounds_to_the_nearest_E4M3_value_and_clamps_to_448()
    {
        using var scope = NewDisposeScope();
        // 0.3 ∈ [0.25, 0.5): spacing 2^-5 = 0.03125; 0.3 / 0.03125 = 9.6 → 10 → 0.3125
        // 0.001: subnormal, 0.001 / 2^-9 = 0.512 → 1 → 0.001953125
        // 1000 and 460 clamp to 448 (unclamped, 1000 would cast to NaN); 448 = 1.75 · 2^8 is exact
        var x = tensor(new float[] { 0.3f, 448f, 1000f, -1000f, 460f, 0.001f, -0.3f, 0f });

        var q = Fp8Quantiser.Cast(x);

        Assert.Equal(Fp8Format.E4M3.DType(), q.dtype);
        Assert.Equal(new[] { 0.3125f, 448f, 448f, -448f, 448f, 0.001953125f, -0.3125f, 0f }, Values(q));
    }

    [Fact]
    public void E5M2_keeps_two_mantissa_bits()
    {
        using var scope = NewDisposeScope();
        // 0.35 ∈ [0.25, 0.5): E4M3 spacing 2^-5 → 11.2 → 11 · 2^-5 = 0.34375; E5M2 spacing 2^-4 → 5.6 → 6 · 2^-4 = 0.375
        var x = tensor(new float[] { 0.35f, 60000f });

        Assert.Equal(new[] { 0.34375f, 448f }, Values(Fp8Quantiser.Cast(x, Fp8Format.E4M3)));
        Assert.Equal(new[] { 0.375f, 57344f }, Values(Fp8Quantiser.Cast(x, Fp8Format.E5M2)));
    }

    [Fact]
    public void A_tile_whose_maximum_is_448_has_scale_one_and_keeps_its_values()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 448f, 0.3f, -2f, 0f }).view(1, 4);

        using var q = Fp8Quantiser.TileWise(x);

        Assert.Equal(new[] { 1f }, Values(q.Scale));
        Assert.Equal(new[] { 448f, 0.3125f, -2f, 0f }, Values(q.Data));
        Assert.Equal(new[] { 448f, 0.3125f, -2f, 0f }, Values(q.Dequantise()));
    }

    [Fact]
    public void An_outlier_coarsens_the_other_values_of_its_tile_only()
    {
        using var scope = NewDisposeScope();
        // Row 0 has an outlier of 1000: scale = 1000/448 = 2.2321429.
        //   1   / scale = 0.448  ∈ [0.25, 0.5), spacing 2^-5: 14.336 → 14 → 0.4375   → 0.4375   · scale = 0.9765625
        //   0.3 / scale = 0.1344 ∈ [0.125, 0.25), spacing 2^-6: 8.6016 → 9 → 0.140625 → 0.140625 · scale = 0.31389
        // Row 1 has no outlier: scale = 1/448, 1 → 448 exactly, 0.3 → 134.4 ∈ [128, 256), spacing 16 → 128 → 0.2857143.
        var x = tensor(new float[] { 1000f, 1f, 0.3f, 1f, 1f, 0.3f }).view(2, 3);

        using var q = Fp8Quantiser.TileWise(x);
        var back = Values(q.Dequantise());

        float scale = 1000f / 448f;
        Assert.Equal(new[] { scale, 1f / 448f }, Values(q.Scale), new FloatTolerance(1e-6f));
        Assert.Equal(new[] { 448f, 0.4375f, 0.140625f, 448f, 448f, 128f }, Values(q.Data));
        Assert.Equal(1000f, back[0], 3);
        Assert.Equal(0.9765625f, back[1], 5);
        Assert.Equal(0.140625f * scale, back[2], 5);
        Assert.Equal(1f, back[4], 6);
        Assert.Equal(128f / 448f, back[5], 6);
    }

    [Fact]
    public void Zero_tiles_get_scale_one_and_stay_zero()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 130);
        x[1, 129] = tensor(3f); // row 1's ragged second tile is not zero

        using var q = Fp8Quantiser.TileWise(x);

        Assert.Equal(new long[] { 2, 2 }, q.Scale.shape);
        Assert.Equal(new[] { 1f, 1f, 1f, 3f / 448f }, Values(q.Scale), new FloatTolerance(1e-7f));
        var back = q.Dequantise();
        Assert.Equal(0f, back[0].abs().max().item<float>());
        Assert.Equal(3f, back[1, 129].item<float>(), 6);
        Assert.Equal(0f, back[1, ..129].abs().max().item<float>());
    }

    [Fact]
    public void A_ragged_last_tile_is_scaled_over_its_own_values()
    {
        using var scope = NewDisposeScope();
        var x = ones(1, 130);
        x[0, 129] = tensor(100f);

        using var q = Fp8Quantiser.TileWise(x);

        Assert.Equal(new long[] { 1, 130 }, q.Data.shape);
        Assert.Equal(new[] { 1f / 448f, 100f / 448f }, Values(q.Scale), new FloatTolerance(1e-7f));
        var back = Values(q.Dequantise());
        Assert.All(back[..128], v => Assert.Equal(1f, v, 6));
        // the ragged tile's 1 becomes 4.48 ∈ [4, 8), spacing 0.5 → 4.5 → 4.5 · 100/448 = 1.0044643
        Assert.Equal(4.5f * 100f / 448f, back[128], 6);
        Assert.Equal(100f, back[129], 4);
    }

    [Fact]
    public void Block_scales_cover_128_by_128_blocks_with_ragged_edges()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var w = randn([130, 300], generator: generator) * 0.05f;
        w[129, 299] = tensor(7f);

        using var q = Fp8Quantiser.BlockWise(w);

        Assert.Equal(new long[] { 2, 3 }, q.Scale.shape);
        Assert.Equal(new long[] { 130, 300 }, q.Data.shape);
        Assert.Equal(7f / 448f, q.Scale[1, 2].item<float>(), 7);
        for (int rb = 0; rb < 2; rb++)
            for (int cb = 0; cb < 3; cb++)
            {
                var block = w[(rb * 128)..Math.Min(130, rb * 128 + 128), (cb * 128)..Math.Min(300, cb * 128 + 128)];
                Assert.Equal(block.abs().max().item<float>() / 448f, q.Scale[rb, cb].item<float>(), 1e-7f);
            }
        AssertWithinBlockError(w, q.Dequantise(), q.Scale, 128);
    }

    /// <summary>|q(w) − w| ≤ max(2^−4·|w|, 2^−10·scale): half a spacing of E4M3, relative for normal values and
    /// absolute (half of 2^−9, times the block's scale) for subnormal ones.</summary>
    internal static void AssertWithinBlockError(Tensor original, Tensor dequantised, Tensor blockScales, int block)
    {
        using var scope = NewDisposeScope();
        var perElement = blockScales.repeat_interleave(block, dim: 0).repeat_interleave(block, dim: 1)
            .narrow(0, 0, original.shape[0]).narrow(1, 0, original.shape[1]);
        var bound = maximum(original.abs() / 16f, perElement / 1024f) * 1.0001f;
        var excess = ((dequantised - original).abs() - bound).max().item<float>();
        Assert.True(excess <= 0, $"a dequantised value is {excess} beyond half an E4M3 spacing of its original");
    }
}

/// <summary>Element-wise float comparison within an absolute tolerance.</summary>
sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(float obj) => 0;
}
