using System.Runtime.InteropServices;

namespace Pipeline.Contracts;

/// <summary>Packs int32/float32 arrays into little-endian bytes for <see cref="Completion"/> and back.</summary>
public static class PackedArrays
{
    public static byte[] Pack(ReadOnlySpan<int> values) => MemoryMarshal.AsBytes(values).ToArray();

    public static byte[] Pack(ReadOnlySpan<float> values) => MemoryMarshal.AsBytes(values).ToArray();

    public static int[] UnpackInts(byte[] bytes) => Unpack<int>(bytes);

    public static float[] UnpackFloats(byte[] bytes) => Unpack<float>(bytes);

    static T[] Unpack<T>(byte[] bytes) where T : struct
    {
        if (bytes.Length % Marshal.SizeOf<T>() != 0)
            throw new FormatException($"a packed {typeof(T).Name} array cannot be {bytes.Length} bytes long");
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }
}
