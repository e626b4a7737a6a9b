using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header of
/// <c>{name: {dtype, shape, data_offsets}}</c> plus optional <c>__metadata__</c>, then the raw little-endian data) for
/// the dtypes of Hugging Face checkpoints (F32, BF16, F16) and of FP8 ones (F8_E4M3, F8_E5M2, which TorchSharp.PyBridge
/// does not write). Files are readable by Hugging Face's <c>safetensors</c> (FP8 entries load as
/// <c>torch.float8_e4m3fn</c>). Reading streams tensor by tensor, so a file may exceed 2 GiB.</summary>
public static class SafetensorsFile
{
    const string MetadataKey = "__metadata__";
    const long MaxHeaderBytes = 100 * 1024 * 1024;

    static readonly (string Name, ScalarType Type, int Size)[] DTypes =
    [
        ("F32", ScalarType.Float32, 4),
        ("BF16", ScalarType.BFloat16, 2),
        ("F16", ScalarType.Float16, 2),
        (Fp8Format.E4M3.SafetensorsName(), Fp8Format.E4M3.DType(), 1),
        (Fp8Format.E5M2.SafetensorsName(), Fp8Format.E5M2.DType(), 1),
    ];

    /// <summary>Writes the tensors in the given order; each must be on the CPU in one of the supported dtypes.</summary>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var contiguous = tensors.Select(t => KeyValuePair.Create(t.Key, t.Value.contiguous())).ToArray();
        try
        {
            var header = new MemoryStream();
            using (var json = new Utf8JsonWriter(header))
            {
                json.WriteStartObject();
                if (metadata is { Count: > 0 })
                {
                    json.WriteStartObject(MetadataKey);
                    foreach (var (key, value) in metadata) json.WriteString(key, value);
                    json.WriteEndObject();
                }
                long offset = 0;
                foreach (var (name, tensor) in contiguous)
                {
                    var (dtype, size) = Describe(tensor.dtype, name);
                    long bytes = tensor.numel() * size;
                    json.WriteStartObject(name);
                    json.WriteString("dtype", dtype);
                    json.WriteStartArray("shape");
                    foreach (var d in tensor.shape) json.WriteNumberValue(d);
                    json.WriteEndArray();
                    json.WriteStartArray("data_offsets");
                    json.WriteNumberValue(offset);
                    json.WriteNumberValue(offset + bytes);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    offset += bytes;
                }
                json.WriteEndObject();
            }
            while (header.Length % 8 != 0) header.WriteByte((byte)' '); // the format's recommended alignment
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            file.Write(length);
            header.Position = 0;
            header.CopyTo(file);
            foreach (var (_, tensor) in contiguous) file.Write(tensor.bytes);
        }
        finally
        {
            foreach (var (_, tensor) in contiguous) tensor.Dispose();
        }
    }

    /// <summary>Reads every tensor, in file order, and the metadata. The caller owns the tensors.</summary>
    public static (List<KeyValuePair<string, Tensor>> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (file.Length < 8) throw new InvalidDataException($"'{path}' is not a safetensors file: too short");
        file.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, file.Length - 8))
            throw new InvalidDataException($"'{path}' is not a safetensors file: header length {headerLength}");
        var headerBytes = new byte[headerLength];
        file.ReadExactly(headerBytes);
        long dataStart = 8 + (long)headerLength;
        using var header = JsonDocument.Parse(headerBytes);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        var metadata = new Dictionary<string, string>();
        try
        {
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    foreach (var item in entry.Value.EnumerateObject()) metadata[item.Name] = item.Value.GetString() ?? "";
                    continue;
                }
                var dtypeName = entry.Value.GetProperty("dtype").GetString();
                var (_, type, size) = DTypes.FirstOrDefault(d => d.Name == dtypeName);
                if (size == 0) throw new InvalidDataException($"'{path}': tensor '{entry.Name}' has unsupported dtype {dtypeName}");
                long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                long expected = shape.Aggregate(1L, (a, d) => a * d) * size;
                if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || offsets[0] < 0 || dataStart + offsets[1] > file.Length)
                    throw new InvalidDataException($"'{path}': tensor '{entry.Name}' has data offsets [{string.Join(", ", offsets)}] that do not fit its shape or the file");
                var data = new byte[expected];
                file.Position = dataStart + offsets[0];
                file.ReadExactly(data);
                var tensor = empty(shape, type);
                tensor.bytes = data;
                tensors.Add(KeyValuePair.Create(entry.Name, tensor));
            }
        }
        catch
        {
            foreach (var (_, tensor) in tensors) tensor.Dispose();
            throw;
        }
        return (tensors, metadata);
    }

    static (string Name, int Size) Describe(ScalarType type, string tensor)
    {
        foreach (var d in DTypes)
            if (d.Type == type) return (d.Name, d.Size);
        throw new ArgumentException($"tensor '{tensor}' has dtype {type}, which this safetensors writer does not support");
    }
}
