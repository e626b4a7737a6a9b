using Pipeline.Benchmarks.Gemm;

namespace Pipeline.Benchmarks.Learner;

/// <summary>What <c>pipeline bench learner</c> writes. <see cref="GemmPeakGflops"/> is the FP32 peak measured in the
/// same run, the denominator of <see cref="LearnerPrecision.Mfu"/> for FP32 and FP8 (whose GEMMs run in FP32 on
/// dequantised operands here); BF16 carries its own peak. <see cref="Bf16Speedup"/> is the FP32 step time ÷ the BF16
/// step time, when both ran. Everything is measured at <see cref="MachineDescription.TorchThreads"/> libtorch threads;
/// <see cref="AllCores"/> is the same benchmark again on every core, when the first ran on fewer.</summary>
public sealed record LearnerBenchmarkResult(
    MachineDescription Machine,
    double GemmPeakGflops,
    LearnerPrecision Fp32,
    LearnerPrecision Bf16,
    LearnerPrecision Fp8,
    LearnerBenchmarkModel Model,
    LearnerBenchmarkShape Batch,
    LearnerFlops Flops,
    IReadOnlyList<GemmMeasurement> Gemm,
    bool Quick,
    double WallSeconds)
{
    public double? Bf16Speedup => Fp32.StepSeconds / Bf16.StepSeconds;

    /// <summary>The same measurements with libtorch on every core, after these on half of them (the demo's learner's
    /// thread plan); null when these already ran on every core, or on the count <c>Learner:TorchThreads</c> named.</summary>
    public LearnerBenchmarkResult? AllCores { get; init; }
}

/// <summary>One precision's steps, or why it was not run (<see cref="Available"/> false, <see cref="Unavailable"/> the
/// reason; only the GEMM peak, if measured, is then filled in).</summary>
/// <param name="LearnerGflops">model FLOPs of a step without padding (policy forward and backward, reference forward) ÷
/// <see cref="StepSeconds"/></param>
/// <param name="Mfu"><see cref="LearnerGflops"/> ÷ <see cref="GemmPeakGflops"/></param>
/// <param name="ExecutedGflops">the same with the padded batch's FLOPs: what libtorch computed per second</param>
/// <param name="StepSeconds">mean wall time of the timed steps (after one untimed warm-up step)</param>
public sealed record LearnerPrecision(
    bool Available,
    string? Unavailable,
    double? GemmPeakGflops,
    double? LearnerGflops = null,
    double? Mfu = null,
    double? ExecutedGflops = null,
    double? MfuPadded = null,
    double? StepSeconds = null,
    LearnerBreakdown? Breakdown = null,
    int? Steps = null,
    string? ReferenceDtype = null);

/// <summary>Mean seconds per step of each phase (<see cref="Pipeline.Learner.Training.StepPhases"/>); <see cref="Other"/>
/// is the rest of the step (rewards and lengths before, statistics after).</summary>
public sealed record LearnerBreakdown(double PolicyForward, double PolicyBackward, double Reference, double Optimizer, double Batch, double Other);

public sealed record LearnerBenchmarkModel(int Layers, int Hidden, int Heads, int KeyValueHeads, int Intermediate, int Vocab, long Params, long MatmulParams);

/// <summary>The batch: rows (prompts × group size), real prompt and completion tokens, and the padded layout the step
/// computes — <see cref="MicroBatches"/> micro-batches of at most <c>Grpo:MicroBatchTokens</c> positions each (one row
/// may exceed it alone), each padded to its own longest prompt and completion: <see cref="PaddedLength"/> the longest
/// micro-batch's row length, <see cref="PaddedTokens"/> their positions summed, <see cref="LargestMicroBatchTokens"/>
/// the largest one's (the GEMMs' M).</summary>
public sealed record LearnerBenchmarkShape(int Prompts, int GroupSize, int Sequences, long PromptTokens, long CompletionTokens,
    int PaddedLength, long PaddedTokens, double PaddingFraction, int MicroBatches, long LargestMicroBatchTokens);

/// <summary>Model FLOPs of one step, with and without padding (see <see cref="Pipeline.Policy.Model.ModelFlops"/>).</summary>
public sealed record LearnerFlops(double PolicyForward, double PolicyBackward, double Reference, double Total,
    double PaddedPolicyForward, double PaddedPolicyBackward, double PaddedReference, double PaddedTotal);
