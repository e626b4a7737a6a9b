using System.Runtime.InteropServices;

namespace Pipeline.Benchmarks;

/// <summary>The machine a benchmark ran on, as every <c>bench</c> command names it: a figure means little without the
/// CPU, the instruction-set extensions that decide GEMM speed (AVX-512, its BF16 and FP16 forms, AMX), and how many
/// threads computed. Figures from different machines are not comparable; ratios within one run are.</summary>
/// <param name="Cpu">the model name from <c>/proc/cpuinfo</c> (or the architecture where there is none)</param>
/// <param name="Flags">those of <see cref="FlagsThatMatter"/> the CPU reports, in that order</param>
/// <param name="LogicalProcessors">what the process may use (<see cref="Environment.ProcessorCount"/>)</param>
/// <param name="TorchThreads">libtorch's intra-op threads</param>
public sealed record MachineDescription(string Cpu, IReadOnlyList<string> Flags, int LogicalProcessors, int TorchThreads)
{
    /// <summary>The extensions libtorch's CPU kernels (oneDNN, MKL) choose their GEMMs by.</summary>
    public static readonly string[] FlagsThatMatter =
        ["avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8", "amx_fp16"];

    /// <summary>Whether the CPU multiplies BF16 natively (<see cref="Policy.CpuFeatures.HasBf16Units"/>).</summary>
    public bool HasBf16 => Policy.CpuFeatures.HasBf16Units(Flags.ToHashSet());

    /// <summary>One line for a table's caption or a log: <c>AMD EPYC · avx2 fma avx512f … · 2 threads of 2</c>.</summary>
    public string Summary => $"{Cpu} · {(Flags.Count > 0 ? string.Join(' ', Flags) : "no AVX2/AVX-512/AMX")} · {TorchThreads} libtorch threads of {LogicalProcessors} processors";

    /// <summary>This machine, now.</summary>
    public static MachineDescription Current() =>
        FromCpuInfo(File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : "", Environment.ProcessorCount, TorchSharp.torch.get_num_threads());

    /// <summary>The description from the text of <c>/proc/cpuinfo</c> (its first processor's <c>model name</c> and
    /// <c>flags</c>).</summary>
    public static MachineDescription FromCpuInfo(string cpuInfo, int logicalProcessors, int torchThreads)
    {
        string? model = null;
        foreach (var line in cpuInfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            if (line[..colon].Trim() == "model name")
            {
                model = line[(colon + 1)..].Trim();
                break;
            }
        }
        var reported = Policy.CpuFeatures.Flags(cpuInfo);
        return new MachineDescription(
            string.IsNullOrEmpty(model) ? RuntimeInformation.ProcessArchitecture.ToString() : model,
            FlagsThatMatter.Where(reported.Contains).ToArray(), logicalProcessors, torchThreads);
    }
}
