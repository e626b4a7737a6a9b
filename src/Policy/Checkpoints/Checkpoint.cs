using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using TorchSharp.PyBridge;

namespace Pipeline.Policy.Checkpoints;

/// <summary>A checkpoint directory in Hugging Face's layout: <c>config.json</c> + <c>model.safetensors</c>.
/// Saving writes into a temporary sibling directory, fsyncs both files and renames it into place, so a reader
/// never sees half a checkpoint; the SHA-256 covers the weights file, which is what travels. An FP8 checkpoint
/// (<see cref="CheckpointFormat.Fp8"/>) holds <c>model.fp8.safetensors</c> instead (<see cref="Fp8Weights"/>);
/// loading finds whichever weights file is there.</summary>
public static class Checkpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
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
        var weightsFile = WeightsFileOf(format);
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{directory}' has no parent directory");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllText(Path.Combine(staging, ConfigFile), JsonSerializer.Serialize(policy.Config, Json));
            if (format == CheckpointFormat.Fp8) Fp8Weights.Save(policy.state_dict(), Path.Combine(staging, weightsFile));
            else policy.save_safetensors(Path.Combine(staging, weightsFile));
            writeBeside?.Invoke(staging);
            foreach (var file in Directory.GetFiles(staging)) Fsync(file);
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            Directory.Move(staging, full);
            return Sha256(Path.Combine(full, weightsFile));
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Loads a checkpoint; when <paramref name="expectedSha256"/> is given, a mismatch is an error and
    /// nothing is loaded. <paramref name="precision"/> chooses how the loaded policy computes its linear layers.</summary>
    public static CausalLm Load(string directory, string? expectedSha256 = null, LinearPrecision precision = LinearPrecision.Fp32)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        var format = FormatOf(directory);
        if (!File.Exists(configPath) || format is null)
            throw new FileNotFoundException($"'{directory}' is not a checkpoint: it needs {ConfigFile} and {WeightsFile} or {Fp8WeightsFile}");
        var weightsPath = Path.Combine(directory, WeightsFileOf(format.Value));
        if (expectedSha256 is not null)
        {
            var actual = Sha256(weightsPath);
            if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"checkpoint '{directory}' has SHA-256 {actual}, expected {expectedSha256}");
        }
        var config = ReadConfig(directory) with { Precision = precision };
        var policy = new CausalLm(config);
        if (format == CheckpointFormat.Fp8)
        {
            var weights = Fp8Weights.Load(weightsPath);
            try { policy.load_state_dict(weights, strict: true); }
            finally { foreach (var tensor in weights.Values) tensor.Dispose(); }
        }
        else policy.load_safetensors(weightsPath, strict: true);
        return policy;
    }

    /// <summary>The weights format of a checkpoint directory, or null when it holds no weights file.</summary>
    public static CheckpointFormat? FormatOf(string directory) =>
        File.Exists(Path.Combine(directory, WeightsFile)) ? CheckpointFormat.Fp32
        : File.Exists(Path.Combine(directory, Fp8WeightsFile)) ? CheckpointFormat.Fp8
        : null;

    /// <summary>The format's name as <c>PolicyPublished.Format</c> carries it.</summary>
    public static string FormatName(CheckpointFormat format) => format == CheckpointFormat.Fp8 ? Fp8Format : Format;

    public static string WeightsFileOf(CheckpointFormat format) => format == CheckpointFormat.Fp8 ? Fp8WeightsFile : WeightsFile;

    public static PolicyConfig ReadConfig(string directory) =>
        JsonSerializer.Deserialize<PolicyConfig>(File.ReadAllText(Path.Combine(directory, ConfigFile)))
        ?? throw new InvalidDataException($"{Path.Combine(directory, ConfigFile)} is empty");

    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, ConfigFile)) && FormatOf(directory) is not null;

    /// <summary>The SHA-256 of a checkpoint directory's weights file: the hash a run records for its base policy.</summary>
    public static string Sha256Of(string directory) =>
        Sha256(Path.Combine(directory, WeightsFileOf(FormatOf(directory)
            ?? throw new FileNotFoundException($"'{directory}' is not a checkpoint: it holds no weights file"))));

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    static void Fsync(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Flush(flushToDisk: true);
    }
}
