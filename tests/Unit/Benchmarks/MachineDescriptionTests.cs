using Pipeline.Benchmarks;

namespace Pipeline.Tests.Unit.Benchmarks;

public sealed class MachineDescriptionTests
{
    const string CpuInfo = """
        processor	: 0
        vendor_id	: AuthenticAMD
        model name	: AMD EPYC 9454 48-Core Processor
        flags		: fpu sse2 avx fma avx2 avx512f avx512dq avx512_bf16 avx512_vnni amx_tile
        
        processor	: 1
        model name	: AMD EPYC 9454 48-Core Processor
        flags		: fpu sse2 avx fma avx2 avx512f avx512dq avx512_bf16 avx512_vnni amx_tile
        """;

    [Fact]
    public void Names_the_cpu_and_only_the_flags_that_decide_gemm_speed_in_a_fixed_order()
    {
        var machine = MachineDescription.FromCpuInfo(CpuInfo, logicalProcessors: 2, torchThreads: 2);

        Assert.Equal("AMD EPYC 9454 48-Core Processor", machine.Cpu);
        Assert.Equal(["avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile"], machine.Flags);
        Assert.True(machine.HasBf16);
        Assert.Equal("AMD EPYC 9454 48-Core Processor · avx2 fma avx512f avx512_vnni avx512_bf16 amx_tile · 2 libtorch threads of 2 processors", machine.Summary);
    }

    [Fact]
    public void A_cpu_without_bf16_units_or_a_cpuinfo_says_so()
    {
        var avx2 = MachineDescription.FromCpuInfo("model name : Intel Xeon\nflags : sse2 avx2 fma\n", 2, 1);
        Assert.False(avx2.HasBf16);
        Assert.Equal(["avx2", "fma"], avx2.Flags);

        var none = MachineDescription.FromCpuInfo("", 4, 4);
        Assert.Empty(none.Flags);
        Assert.False(string.IsNullOrWhiteSpace(none.Cpu));
        Assert.Contains("no AVX2/AVX-512/AMX", none.Summary);
    }
}
