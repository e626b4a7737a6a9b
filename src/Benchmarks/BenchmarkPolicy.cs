using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Policy.Training;
using static TorchSharp.torch;

namespace Pipeline.Benchmarks;

/// <summary>The policy a speed benchmark runs when the user names none: new, of the Pretrain settings' shape (the
/// demo's), seeded. What a step or a token costs depends on the shape, not on what the weights have learnt.</summary>
public static class BenchmarkPolicy
{
    /// <summary>Writes the new policy as an FP32 checkpoint into <paramref name="directory"/>, where a run reads its
    /// base policy from, and returns the directory.</summary>
    public static string Fresh(PretrainOptions shape, string directory)
    {
        manual_seed(shape.Seed);
        using var policy = new CausalLm(shape.ModelConfig() with { Precision = LinearPrecision.Fp32 }, shape.Tokenizer());
        Checkpoint.Save(policy, directory);
        return directory;
    }
}
