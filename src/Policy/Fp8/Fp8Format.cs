using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>The two OCP 8-bit floating-point formats: E4M3 (libtorch's <c>float8_e4m3fn</c>: no infinities, largest
/// finite 448) and E5M2 (<c>float8_e5m2</c>: largest finite 57344). DeepSeek-V3 (§3.3.2) uses E4M3 for every
/// tensor, gradients included, and relies on fine-grained scaling for range; E5M2 is here for comparison.</summary>
public enum Fp8Format
{
    E4M3,
    E5M2,
}

public static class Fp8Formats
{
    /// <summary>libtorch's dtype: TorchSharp 0.107's <see cref="ScalarType"/> has no name for it, the value is stable.</summary>
    public static ScalarType DType(this Fp8Format format) => format switch
    {
        Fp8Format.E4M3 => (ScalarType)24,
        Fp8Format.E5M2 => (ScalarType)23,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The largest finite value. libtorch's cast does not saturate (E4M3: 464 and above become NaN), so
    /// every quantiser clamps to ±this first.</summary>
    public static float MaxFinite(this Fp8Format format) => format switch
    {
        Fp8Format.E4M3 => 448f,
        Fp8Format.E5M2 => 57344f,
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>The safetensors dtype name.</summary>
    public static string SafetensorsName(this Fp8Format format) => format switch
    {
        Fp8Format.E4M3 => "F8_E4M3",
        Fp8Format.E5M2 => "F8_E5M2",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };
}
