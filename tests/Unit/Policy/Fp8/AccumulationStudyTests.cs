using Pipeline.Policy.Fp8;

namespace Pipeline.Tests.Unit.Policy.Fp8;

public sealed class AccumulationStudyTests
{
    [Fact]
    public void Rounding_to_14_significant_bits_breaks_ties_to_even()
    {
        // 14 significant bits: the spacing just above 1 is 2^-13.
        Assert.Equal(1.0, AccumulationStudy.RoundToBits(1 + Math.Pow(2, -14), 14));                     // tie → even (1)
        Assert.Equal(1 + Math.Pow(2, -12), AccumulationStudy.RoundToBits(1 + 3 * Math.Pow(2, -14), 14)); // tie → even (1 + 2·2^-13)
        Assert.Equal(1 + Math.Pow(2, -13), AccumulationStudy.RoundToBits(1 + 0.6 * Math.Pow(2, -13), 14));
        Assert.Equal(1.0, AccumulationStudy.TruncateToBits(1 + 0.9 * Math.Pow(2, -13), 14));
        Assert.Equal(-1.0, AccumulationStudy.TruncateToBits(-1 - 0.9 * Math.Pow(2, -13), 14));
        Assert.Equal(16384.0, AccumulationStudy.RoundToBits(16385, 14));                                 // spacing 2 at 2^14
    }

    [Fact]
    public void A_14_bit_register_stagnates_at_two_to_the_fourteen_and_promotion_every_128_does_not()
    {
        // Integers up to 2^14 = 16384 are exact in 14 bits; then 16384 + 1 is a tie between 16384 and 16386 and
        // rounds to the even 16384 again, so every further 1 is lost. Partial sums of 128 ones are exact and FP32
        // holds 20000 exactly.
        var ones = Enumerable.Repeat(1.0, 20000).ToArray();

        Assert.Equal(16384.0, AccumulationStudy.Limited(ones));
        Assert.Equal(20000.0, AccumulationStudy.Limited(ones, promoteEvery: 128));
        Assert.Equal(20000.0, AccumulationStudy.Fp32(ones));
    }

    [Fact]
    public void Promotion_cuts_the_limited_register_s_error_at_k_4096_and_fp32_is_far_below_both()
    {
        var m = AccumulationStudy.Measure(4096, 8, 8, seed: 1);

        Assert.Equal(64, m.Outputs);
        Assert.True(m.Promoted.Mean < m.Limited.Mean / 2, $"promoted {m.Promoted.Mean} vs limited {m.Limited.Mean}");
        Assert.True(m.Fp32.Mean < m.Promoted.Mean / 10, $"fp32 {m.Fp32.Mean} vs promoted {m.Promoted.Mean}");
        Assert.True(m.PromotedTruncating.Mean < m.LimitedTruncating.Mean / 10);
    }
}
