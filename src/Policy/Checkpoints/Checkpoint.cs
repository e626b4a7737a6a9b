using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using static TorchSharp.torch;

namespace Pipeline.Policy.Checkpoints;

/// <summary>A checkpoint is a Hugging Face model directory: <c>config.json</c>, <c>generation_config.json</c>,
/// <c>tokenizer.json</c> and the weights — <c>model.safetensors</c>, or shards named by
/// <c>model.safetensors.index.json</c> — in F32, BF16 or F16 under Hugging Face's tensor names, which loading
/// converts to FP32 (a policy moves to its compute dtype afterwards). Pipeline writes one F32
/// <c>model.safetensors</c> with <c>format: pt</c> metadata and no head when it is tied to the embeddings, so
/// transformers loads every version a run publishes as it is; the learner's optimizer state lies beside it. Saving
/// writes into a temporary sibling directory, fsyncs every file and renames it into place, so a reader never sees half
/// a checkpoint; the SHA-256 covers the weights, which is what travels. An FP8 checkpoint
/// (<see cref="CheckpointFormat.Fp8"/>) holds <c>model.fp8.safetensors</c> instead (<see cref="Fp8Weights"/>).</summary>
public static class Checkpoint
{
    public const string ConfigFile = "config.json";
    public const string GenerationConfigFile = "generation_config.json";
    public const string WeightsFile = "model.safetensors";
    public const string WeightsIndexFile = "model.safetensors.index.json";
    public const string Fp8WeightsFile = "model.fp8.safetensors";

    /// <summary>The learner's optimizer state beside the weights (TorchSharp's format), for resuming and replaying.</summary>
    public const string OptimizerFile = "optimizer.bin";
    public const string Format = "safetensors-fp32";
    public const string Fp8Format = Fp8Weights.FormatName;

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <param name="writeBeside">writes further files (the optimizer state) into the directory before it is
    /// renamed into place, so they appear together with the weights; the hash covers the weights alone</param>
    /// <returns>the SHA-256 (lower-case hex) of the weights file</returns>
    public static string Save(CausalLm policy, string directory, CheckpointFormat format = CheckpointFormat.Fp32,
        Action<string>? writeBeside = null)
    {
        using var staged = Stage(policy, directory, format, writeBeside);
        return staged.Commit();
    }

    /// <summary>The first half of <see cref="Save"/>: every file written into a staging directory beside
    /// <paramref name="directory"/>, not yet fsynced nor renamed into place. From here on the checkpoint no longer
    /// depends on <paramref name="policy"/>, which may change (the learner's next step) while
    /// <see cref="StagedCheckpoint.Commit"/> makes it durable on another thread.</summary>
    public static StagedCheckpoint Stage(CausalLm policy, string directory, CheckpointFormat format = CheckpointFormat.Fp32,
        Action<string>? writeBeside = null)
    {
        var weightsFile = WeightsFileOf(format);
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{directory}' has no parent directory");
        Directory.CreateDirectory(parent);
        var staged = new StagedCheckpoint(Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial"), full, weightsFile);
        Directory.CreateDirectory(staged.Staging);
        try
        {
            var config = policy.Config with { TorchDtype = "float32" };
            File.WriteAllText(Path.Combine(staged.Staging, ConfigFile), JsonSerializer.Serialize(config, Json));
            File.WriteAllText(Path.Combine(staged.Staging, GenerationConfigFile), GenerationConfig(config));
            policy.Tokenizer.SaveTo(staged.Staging);
            if (format == CheckpointFormat.Fp8) Fp8Weights.Save(policy.state_dict(), Path.Combine(staged.Staging, weightsFile));
            else SaveWeights(policy, Path.Combine(staged.Staging, weightsFile));
            writeBeside?.Invoke(staged.Staging);
            return staged;
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    /// <summary>How the checkpoint's policy tokenises prompts and completions, read without its weights (a run's
    /// admission checks its prompts before loading them).</summary>
    public static PromptTokens ReadPromptTokens(string directory)
    {
        var config = ReadConfig(directory);
        return new PromptTokens(ReadTokenizer(directory, config), config.EosTokenIds[0]);
    }

    static PolicyTokenizer ReadTokenizer(string directory, PolicyConfig config)
    {
        var tokenizer = PolicyTokenizer.Of(directory);
        if (tokenizer == ByteTokenizer.Instance && config.VocabSize != ByteTokenizer.VocabSize)
            throw new InvalidDataException($"'{directory}' has no {PolicyTokenizer.FileName} (a checkpoint without one must be over Pipeline's byte vocabulary of {ByteTokenizer.VocabSize})");
        return tokenizer;
    }

    /// <summary>Loads a checkpoint in FP32 on the CPU; when <paramref name="expectedSha256"/> is given, a mismatch is an
    /// error and nothing is loaded. <paramref name="precision"/> chooses how the loaded policy computes its linear
    /// layers. An unsupported architecture or a tensor the model needs and the files lack is a one-line error naming it.</summary>
    public static CausalLm Load(string directory, string? expectedSha256 = null, LinearPrecision precision = LinearPrecision.Fp32)
    {
        var format = FormatOf(directory);
        if (!File.Exists(Path.Combine(directory, ConfigFile)) || format is null)
            throw new FileNotFoundException($"'{directory}' is not a checkpoint: it needs {ConfigFile} and {WeightsFile}, {WeightsIndexFile} or {Fp8WeightsFile}");
        if (expectedSha256 is not null)
        {
            var actual = Sha256Of(directory);
            if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"checkpoint '{directory}' has SHA-256 {actual}, expected {expectedSha256}");
        }
        var config = ReadConfig(directory) with { Precision = precision };
        var policy = new CausalLm(config, ReadTokenizer(directory, config));
        try
        {
            if (format == CheckpointFormat.Fp8)
            {
                var weights = Fp8Weights.Load(Path.Combine(directory, Fp8WeightsFile));
                try { policy.load_state_dict(weights, strict: true); }
                finally { foreach (var tensor in weights.Values) tensor.Dispose(); }
            }
            else LoadWeights(policy, directory);
        }
        catch
        {
            policy.Dispose();
            throw;
        }
        return policy;
    }

    /// <summary>The weights format of a checkpoint directory, or null when it holds no weights file.</summary>
    public static CheckpointFormat? FormatOf(string directory) =>
        File.Exists(Path.Combine(directory, WeightsFile)) || File.Exists(Path.Combine(directory, WeightsIndexFile)) ? CheckpointFormat.Fp32
        : File.Exists(Path.Combine(directory, Fp8WeightsFile)) ? CheckpointFormat.Fp8
        : null;

    /// <summary>The format's name as <c>PolicyPublished.Format</c> carries it.</summary>
    public static string FormatName(CheckpointFormat format) => format == CheckpointFormat.Fp8 ? Fp8Format : Format;

    public static string WeightsFileOf(CheckpointFormat format) => format == CheckpointFormat.Fp8 ? Fp8WeightsFile : WeightsFile;

    /// <summary>The model's configuration: <c>config.json</c>, with bos and eos from <c>generation_config.json</c>
    /// where it names them (that is what generation stops at).</summary>
    public static PolicyConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        var config = JsonSerializer.Deserialize<PolicyConfig>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is empty");
        var generationPath = Path.Combine(directory, GenerationConfigFile);
        if (!File.Exists(generationPath)) return config;
        var generation = JsonNode.Parse(File.ReadAllText(generationPath));
        if (generation?["eos_token_id"] is { } eos)
        {
            var ids = eos.Deserialize<TokenIds>();
            if (ids is { Count: > 0 }) config = config with { EosTokenIds = ids };
        }
        if (generation?["bos_token_id"] is { } bos && bos.GetValueKind() == JsonValueKind.Number)
            config = config with { BosTokenId = bos.GetValue<int>() };
        return config;
    }

    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, ConfigFile)) && FormatOf(directory) is not null;

    /// <summary>The SHA-256 of a checkpoint directory's weights: the hash a run records for its base policy. For a
    /// sharded directory, the hash of its shards' bytes in file-name order.</summary>
    public static string Sha256Of(string directory)
    {
        var files = WeightsFiles(directory);
        if (files.Count == 1) return Sha256(files[0]);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The files holding a checkpoint's weights.</summary>
    static IReadOnlyList<string> WeightsFiles(string directory)
    {
        var format = FormatOf(directory) ?? throw new FileNotFoundException($"'{directory}' is not a checkpoint: it holds no weights file");
        var single = Path.Combine(directory, WeightsFileOf(format));
        if (File.Exists(single)) return [single];
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, WeightsIndexFile)))?["weight_map"]?.AsObject()
            ?? throw new InvalidDataException($"'{Path.Combine(directory, WeightsIndexFile)}' has no weight_map");
        return index.Select(entry => (string?)entry.Value ?? throw new InvalidDataException($"'{WeightsIndexFile}' names no file for '{entry.Key}'"))
            .Distinct().Order(StringComparer.Ordinal).Select(file => Path.Combine(directory, file)).ToArray();
    }

    /// <summary>F32 tensors under Hugging Face names, the tied head left out as transformers does.</summary>
    static void SaveWeights(CausalLm policy, string path)
    {
        using var scope = NewDisposeScope();
        var tensors = policy.state_dict()
            .Where(kv => !policy.IsTiedCopy(kv.Key))
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Value.detach().cpu().to(float32)))
            .ToArray();
        SafetensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>Copies every tensor the model needs from the weights files, converting its dtype; tensors the model
    /// has no use for (rotary tables some exporters write) are ignored.</summary>
    static void LoadWeights(CausalLm policy, string directory)
    {
        using var noGrad = no_grad();
        var needed = policy.state_dict();
        var found = new HashSet<string>();
        foreach (var file in WeightsFiles(directory))
        {
            var (tensors, _) = SafetensorsFile.Read(file);
            try
            {
                foreach (var (name, tensor) in tensors)
                {
                    if (!needed.TryGetValue(name, out var target)) continue;
                    if (!target.shape.SequenceEqual(tensor.shape))
                        throw new InvalidDataException($"'{directory}': tensor '{name}' has shape [{string.Join(", ", tensor.shape)}], the config says [{string.Join(", ", target.shape)}]");
                    target.copy_(tensor);
                    found.Add(name);
                }
            }
            finally
            {
                foreach (var (_, tensor) in tensors) tensor.Dispose();
            }
        }
        var missing = needed.Keys.FirstOrDefault(name => !found.Contains(name) && !policy.IsTiedCopy(name));
        if (missing is not null) throw new InvalidDataException($"'{directory}' lacks tensor '{missing}'");
    }

    static string GenerationConfig(PolicyConfig config)
    {
        var json = new JsonObject();
        if (config.BosTokenId is { } bos) json["bos_token_id"] = bos;
        json["eos_token_id"] = JsonSerializer.SerializeToNode(config.EosTokenIds);
        if (config.PadTokenId is { } pad) json["pad_token_id"] = pad;
        return json.ToJsonString(Json);
    }

    internal static void Fsync(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }
}
