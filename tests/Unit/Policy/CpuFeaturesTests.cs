using Pipeline.Policy;

namespace Pipeline.Tests.Unit.Policy;

public sealed class CpuFeaturesTests
{
    const string Epyc = """
        processor	: 0
        model name	: AMD EPYC 9454 48-Core Processor
        flags		: fpu sse2 avx fma avx2 avx512f avx512_bf16 avx512_vnni

        processor	: 1
        flags		: fpu sse2
        """;

    [Fact]
    public void The_flags_are_the_first_processors()
    {
        var flags = CpuFeatures.Flags(Epyc);

        Assert.Contains("avx512_bf16", flags);
        Assert.Equal(8, flags.Count);
        Assert.True(CpuFeatures.HasBf16Units(flags));
    }

    [Theory]
    [InlineData("flags : fpu avx2 fma", false)]
    [InlineData("flags : fpu avx2 amx_tile amx_bf16", true)]
    [InlineData("flags : avx512f avx512_bf16", true)]
    [InlineData("model name : an ARM without a flags line", false)]
    [InlineData("", false)]
    public void Bf16_units_are_avx512_bf16_or_amx_bf16(string cpuInfo, bool expected)
    {
        Assert.Equal(expected, CpuFeatures.HasBf16Units(CpuFeatures.Flags(cpuInfo)));
    }
}
