namespace Pipeline.Policy;

/// <summary>What the CPU reports in <c>/proc/cpuinfo</c>'s <c>flags</c> line, for choices that depend on it.</summary>
public static class CpuFeatures
{
    /// <summary>The flags of the first processor in the text of <c>/proc/cpuinfo</c>; empty where there is none.</summary>
    public static IReadOnlySet<string> Flags(string cpuInfo)
    {
        foreach (var line in cpuInfo.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon >= 0 && line[..colon].Trim() == "flags")
                return line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        }
        return new HashSet<string>();
    }

    /// <summary>Whether the flags say the CPU multiplies BF16 natively (AVX-512 BF16 or AMX BF16). Without either,
    /// libtorch's BF16 GEMM is a slow conversion path (≈ 1 GFLOP/s measured on an AVX2 machine).</summary>
    public static bool HasBf16Units(IReadOnlySet<string> flags) => flags.Contains("avx512_bf16") || flags.Contains("amx_bf16");

    static readonly Lazy<IReadOnlySet<string>> current = new(() => Flags(File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : ""));

    /// <summary>This machine's flags (empty off Linux), read once.</summary>
    public static IReadOnlySet<string> Current() => current.Value;
}
