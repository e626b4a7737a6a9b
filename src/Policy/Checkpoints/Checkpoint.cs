using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Policy.Model;
using TorchSharp.PyBridge;

namespace Pipeline.Policy.Checkpoints;

/// <summary>A checkpoint directory in Hugging Face's layout: <c>config.json</c> + <c>model.safetensors</c>.
/// Saving writes into a temporary sibling directory, fsyncs both files and renames it into place, so a reader
/// never sees half a checkpoint; the SHA-256 covers the weights file, which is what travels.</summary>
public static class Checkpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string Format = "safetensors-fp32";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <returns>the SHA-256 (lower-case hex) of the weights file</returns>
    public static string Save(CausalLm policy, string directory)
    {
        var full = Path.GetFullPath(directory);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{directory}' has no parent directory");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllText(Path.Combine(staging, ConfigFile), JsonSerializer.Serialize(policy.Config, Json));
            policy.save_safetensors(Path.Combine(staging, WeightsFile));
            Fsync(Path.Combine(staging, ConfigFile));
            Fsync(Path.Combine(staging, WeightsFile));
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            Directory.Move(staging, full);
            return Sha256(Path.Combine(full, WeightsFile));
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Loads a checkpoint; when <paramref name="expectedSha256"/> is given, a mismatch is an error and
    /// nothing is loaded.</summary>
    public static CausalLm Load(string directory, string? expectedSha256 = null)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        var weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(configPath) || !File.Exists(weightsPath))
            throw new FileNotFoundException($"'{directory}' is not a checkpoint: it needs {ConfigFile} and {WeightsFile}");
        if (expectedSha256 is not null)
        {
            var actual = Sha256(weightsPath);
            if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"checkpoint '{directory}' has SHA-256 {actual}, expected {expectedSha256}");
        }
        var config = ReadConfig(directory);
        var policy = new CausalLm(config);
        policy.load_safetensors(weightsPath, strict: true);
        return policy;
    }

    public static PolicyConfig ReadConfig(string directory) =>
        JsonSerializer.Deserialize<PolicyConfig>(File.ReadAllText(Path.Combine(directory, ConfigFile)))
        ?? throw new InvalidDataException($"{Path.Combine(directory, ConfigFile)} is empty");

    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, ConfigFile)) && File.Exists(Path.Combine(directory, WeightsFile));

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
