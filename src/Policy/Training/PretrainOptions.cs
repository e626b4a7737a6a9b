using System.ComponentModel.DataAnnotations;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;

namespace Pipeline.Policy.Training;

/// <summary>Settings of <c>pipeline pretrain</c> (configuration section "Pretrain"): the base policy's shape and its
/// next-token training on the task's synthetic corpus.</summary>
public sealed class PretrainOptions
{
    public const string Section = "Pretrain";

    [Range(1, 1_000_000)] public int Steps { get; set; } = 300;
    [Range(1, 4096)] public int BatchSize { get; set; } = 64;
    [Range(1e-6, 1.0)] public double LearningRate { get; set; } = 2e-3;
    /// <summary>Linear warm-up, then cosine decay to a tenth of <see cref="LearningRate"/>.</summary>
    [Range(0, 100_000)] public int WarmupSteps { get; set; } = 40;
    [Range(0.0, 1.0)] public double WeightDecay { get; set; } = 0.01;
    [Range(0.0, 1000.0)] public double MaxGradNorm { get; set; } = 1.0;
    public long Seed { get; set; } = 1;
    /// <summary>The most token positions (rows × padded length) one forward/backward pass lays out. A batch that
    /// would lay out more — long traces among short ones — is split into rows of similar length whose gradients are
    /// summed before the one optimizer step, so that padding does not cost more than the tokens themselves.</summary>
    [Range(256, 10_000_000)] public int MicroBatchTokens { get; set; } = 8192;
    /// <summary>Operand precision of the decoder's linear-layer GEMMs: <c>fp32</c>, or <c>fp8</c> for DeepSeek-V3's
    /// recipe (E4M3, 1×128 / 128×128 scaling, FP32 accumulation; see <see cref="Fp8Gemm"/>).</summary>
    [EnumDataType(typeof(LinearPrecision))] public LinearPrecision Precision { get; set; } = LinearPrecision.Fp32;

    [Range(8, 4096)] public int HiddenSize { get; set; } = 128;
    [Range(1, 64)] public int Layers { get; set; } = 4;
    [Range(1, 64)] public int Heads { get; set; } = 4;
    [Range(8, 16384)] public int IntermediateSize { get; set; } = 384;
    [Range(16, 8192)] public int MaxPositions { get; set; } = 256;

    /// <summary>0 (the default): the byte vocabulary. N ≥ 10: the byte vocabulary plus one token per whole number
    /// 10…N (<see cref="ByteTokenizer.WithWholeNumbers"/>), for a task whose traces do arithmetic on small numbers
    /// (Countdown's configuration uses 1000, the largest value its three numbers up to 10 can make).</summary>
    [Range(0, 100_000)] public int WholeNumberTokens { get; set; }

    /// <summary>The tokenizer of a new base policy (see <see cref="WholeNumberTokens"/>).</summary>
    public PolicyTokenizer Tokenizer() => CheckedWholeNumberTokens() == 0 ? ByteTokenizer.Instance : ByteTokenizer.WithWholeNumbers(WholeNumberTokens);

    int CheckedWholeNumberTokens() => WholeNumberTokens is > 0 and < ByteTokenizer.FirstWholeNumber
        ? throw new ArgumentException($"Pretrain:WholeNumberTokens is {WholeNumberTokens}: 0 for none, or the largest number to give a token of its own (at least {ByteTokenizer.FirstWholeNumber})")
        : WholeNumberTokens;

    /// <summary>The shape of a new base policy over <see cref="Tokenizer"/>'s vocabulary.</summary>
    public PolicyConfig ModelConfig() => CausalLm.DefaultConfig() with
    {
        VocabSize = ByteTokenizer.VocabSizeWith(CheckedWholeNumberTokens()),
        HiddenSize = HiddenSize,
        NumHiddenLayers = Layers,
        NumAttentionHeads = Heads,
        IntermediateSize = IntermediateSize,
        MaxPositionEmbeddings = MaxPositions,
        Precision = Precision,
    };
}
