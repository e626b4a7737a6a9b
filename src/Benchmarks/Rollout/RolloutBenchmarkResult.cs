using Pipeline.Benchmarks.Gemm;

namespace Pipeline.Benchmarks.Rollout;

/// <summary>What <c>pipeline bench rollout</c> writes. <see cref="Params"/> counts every parameter (embeddings
/// included), as the FLOP limit 2·params per token does. The batches sample in <see cref="ComputeDtype"/>
/// (<c>Policy:ComputeDtype</c>), and <see cref="GemmPeakGflops"/> is that dtype's peak; <see cref="Bf16"/> compares FP32
/// with BF16 sampling where the CPU has BF16 units (null elsewhere).</summary>
public sealed record RolloutBenchmarkResult(
    MachineDescription Machine,
    string ComputeDtype,
    double GemmPeakGflops,
    long Params,
    IReadOnlyList<RolloutBatch> Batches,
    int MaxTokens,
    float Temperature,
    float TopP,
    IReadOnlyList<GemmMeasurement> Gemm,
    bool Quick,
    double WallSeconds)
{
    public RolloutPrecision? Bf16 { get; init; }

    /// <summary>The same batches with libtorch on every core, after these on half of them (the demo's rollout's thread
    /// plan); null when these already ran on every core, or on the count <c>Rollout:TorchThreads</c> named. Without
    /// <see cref="Bf16"/>: the precision comparison runs at the first count only.</summary>
    public RolloutBenchmarkResult? AllCores { get; init; }
}

/// <summary>One batch size, sampled by both samplers from the same prompts with the same seeds.</summary>
/// <param name="Sequences">rows: <see cref="Prompts"/> × <see cref="GroupSize"/></param>
/// <param name="KvSpeedup">kv ÷ no-cache tokens per second</param>
/// <param name="FlopLimitFraction">kv tokens per second × 2·params ÷ the GEMM peak</param>
/// <param name="IdenticalSequences">the share of samples whose tokens both samplers drew alike (rounding can part them)</param>
public sealed record RolloutBatch(
    int Sequences,
    int Prompts,
    int GroupSize,
    double KvTokensPerSecond,
    double NocacheTokensPerSecond,
    double KvSpeedup,
    double FlopLimitFraction,
    long KvTokens,
    long NocacheTokens,
    double KvSeconds,
    double NocacheSeconds,
    double IdenticalSequences);
