using static TorchSharp.torch;

namespace Pipeline.Policy.Fp8;

/// <summary>The FP8 checkpoint format <c>safetensors-fp8-e4m3-block128</c>, the layout of DeepSeek-V3's released FP8
/// weights: every matrix of the policy's linear layers is stored as E4M3 codes under its own name (dtype
/// <c>F8_E4M3</c>, same shape) with one FP32 scale per 128×128 block under <c>NAME.scale</c> (shape ⌈R/128⌉×⌈C/128⌉,
/// ragged edge blocks scaled over the values they hold); every other tensor — the token embeddings (and a head tied
/// to them) and the RMSNorm gains — stays F32. The value of a weight is its code times its block's scale; loading dequantises to FP32.
/// The metadata names the format (<c>pipeline.format</c>).</summary>
public static class Fp8Weights
{
    public const string FormatName = "safetensors-fp8-e4m3-block128";
    public const string ScaleSuffix = ".scale";
    const string FormatKey = "pipeline.format";

    /// <summary>Whether a state-dict entry is stored in FP8: the 2-D weights of linear layers (attention and MLP
    /// projections and the output head), not the embedding table (a lookup, not a GEMM operand) nor 1-D norms.</summary>
    public static bool IsQuantised(string name, Tensor tensor) => tensor.dim() == 2 && !name.Contains("embed_tokens");

    /// <summary>Writes a state dict in this format. An entry equal to one kept in FP32 (an output head tied to the
    /// embeddings) stays FP32 too, so that both names load the same values.</summary>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> stateDict, string path)
    {
        using var scope = NewDisposeScope();
        var values = stateDict.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.detach().cpu().to(float32))).ToArray();
        var kept = values.Where(kv => !IsQuantised(kv.Key, kv.Value)).Select(kv => kv.Value).ToArray();
        var entries = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, value) in values)
        {
            if (!IsQuantised(name, value) || kept.Any(k => k.shape.SequenceEqual(value.shape) && k.allclose(value, rtol: 0, atol: 0)))
            {
                entries.Add(KeyValuePair.Create(name, value));
                continue;
            }
            var quantised = Fp8Quantiser.BlockWise(value);
            entries.Add(KeyValuePair.Create(name, quantised.Data));
            entries.Add(KeyValuePair.Create(name + ScaleSuffix, quantised.Scale));
        }
        SafetensorsFile.Write(path, entries, new Dictionary<string, string> { ["format"] = "pt", [FormatKey] = FormatName });
    }

    /// <summary>Reads an FP8 weights file back into FP32 tensors by state-dict name. The caller owns them.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var scope = NewDisposeScope();
        var (tensors, metadata) = SafetensorsFile.Read(path);
        if (!metadata.TryGetValue(FormatKey, out var format) || format != FormatName)
            throw new InvalidDataException($"'{path}' is not a {FormatName} file (metadata {FormatKey} = '{format}')");
        var byName = tensors.ToDictionary(t => t.Key, t => t.Value);
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in tensors)
        {
            if (name.EndsWith(ScaleSuffix) && byName.ContainsKey(name[..^ScaleSuffix.Length])) continue;
            if (tensor.dtype == float32)
            {
                result[name] = tensor.MoveToOuterDisposeScope();
                continue;
            }
            if (!byName.TryGetValue(name + ScaleSuffix, out var scale))
                throw new InvalidDataException($"'{path}': FP8 tensor '{name}' has no '{name}{ScaleSuffix}'");
            const int block = Fp8Quantiser.TileSize;
            if (tensor.dim() != 2 || scale.dim() != 2 || scale.dtype != float32
                || scale.shape[0] != (tensor.shape[0] + block - 1) / block || scale.shape[1] != (tensor.shape[1] + block - 1) / block)
                throw new InvalidDataException($"'{path}': '{name}{ScaleSuffix}' does not hold one FP32 scale per {block}×{block} block of '{name}'");
            var fp8 = tensor.dtype == Fp8Format.E5M2.DType() ? Fp8Format.E5M2 : Fp8Format.E4M3;
            var blocks = new ScaledFp8(tensor, scale, Fp8Scaling.BlockWise, block, fp8);
            result[name] = blocks.Dequantise().MoveToOuterDisposeScope();
        }
        return result;
    }
}
