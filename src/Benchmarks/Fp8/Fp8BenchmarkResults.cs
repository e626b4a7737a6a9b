using System.Text.Json.Serialization;

namespace Pipeline.Benchmarks.Fp8;

/// <summary>One K of the accumulation study: max and mean of |c − c_ref| / RMS(c_ref) over a GEMM's outputs, for the
/// ~14-bit register alone (limited), the same promoted to FP32 every 128 products, FP32 throughout, and the
/// truncating variants of the first two.</summary>
public sealed record Fp8AccumulationRow(
    int K, int Outputs,
    double LimitedMaxRelErr, double LimitedMeanRelErr,
    double PromotedMaxRelErr, double PromotedMeanRelErr,
    double Fp32MaxRelErr, double Fp32MeanRelErr,
    double TruncatingMaxRelErr, double TruncatingMeanRelErr,
    double TruncatingPromotedMaxRelErr, double TruncatingPromotedMeanRelErr);

/// <summary>The same pretraining in FP32 and FP8. <see cref="RelLossError"/> is the mean over the last 10% of steps
/// of (loss_fp8 − loss_fp32) / loss_fp32 on the same batches. Accuracies are held-out greedy accuracy of each run's
/// master weights (FP32 inference). Step seconds: the median of steps of the two alternating on one batch (the
/// comparable figure), and each run's wall time per step (data generation included; on a shared machine it also
/// measures whatever else ran then).</summary>
public sealed record Fp8Parity(
    int Steps, double RelLossError, double MeanAbsRelLossError, double Fp32Accuracy, double Fp8Accuracy,
    double Fp32StepSeconds, double Fp8StepSeconds, double Fp32RunStepSeconds, double Fp8RunStepSeconds,
    double Fp32FinalLoss, double Fp8FinalLoss, Fp8HeldOutLosses HeldOutLoss, int HeldOutProblems,
    double[] Fp32Losses, double[] Fp8Losses, [property: JsonIgnore] string Fp32Checkpoint);

/// <summary>Mean next-token loss on corpus solutions of the held-out problems, of each run's final master weights
/// computed with each forward precision: the FP8 forward's own cost (same weights, FP8 vs FP32 forward) apart from
/// what FP8 training did to the weights (FP8- vs FP32-trained, same forward).</summary>
public sealed record Fp8HeldOutLosses(double Fp32TrainedFp32Forward, double Fp32TrainedFp8Forward,
    double Fp8TrainedFp32Forward, double Fp8TrainedFp8Forward);

/// <summary>An FP32 checkpoint against its FP8 transport (<c>safetensors-fp8-e4m3-block128</c>): weights-file bytes,
/// per-token KL(fp32 ‖ fp8-transported) on the FP32 policy's own sampled completions of held-out prompts, and the
/// held-out greedy accuracy of both.</summary>
public sealed record Fp8Transport(
    double BytesRatio, long Fp32Bytes, long Fp8Bytes, double MeanTokenKl, double MaxTokenKl, int Tokens, int Prompts,
    double Fp32Accuracy, double TransportedAccuracy, string Stored);

/// <summary>The same GRPO run from one base policy with the learner's GEMMs in FP32 and in FP8: held-out greedy
/// accuracy of the base and of each final policy (FP32 inference), each run's gain over the base, and
/// <see cref="GainDifference"/> = FP8 gain − FP32 gain (target: within ±5 points).</summary>
public sealed record Fp8Grpo(int Steps, double BaseAccuracy, double Fp32Accuracy, double Fp8Accuracy,
    double Fp32Gain, double Fp8Gain, double GainDifference, double Fp32Seconds, double Fp8Seconds, int HeldOutProblems);

public sealed record Fp8BenchmarkResult(
    IReadOnlyList<Fp8AccumulationRow> Accumulation, Fp8Parity Parity, Fp8Transport Transport, Fp8Grpo? Grpo, bool Quick,
    string AccumulationOperands, double WallSeconds)
{
    /// <summary>The machine the figures were measured on.</summary>
    public MachineDescription? Machine { get; init; }
}
