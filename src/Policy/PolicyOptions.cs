using System.ComponentModel.DataAnnotations;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using static TorchSharp.torch;

namespace Pipeline.Policy;

/// <summary>Where a process runs its policies (section "Policy"), for the rollout worker, the learner and
/// <c>pipeline generate</c>: <c>Device</c> is <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (CUDA needs the build with
/// <c>-p:TorchBackend=cuda</c>); <c>ComputeDtype</c> is <c>float32</c>, <c>bfloat16</c> or <c>auto</c> (the default:
/// <c>bfloat16</c> on a CPU with BF16 units, AVX-512 BF16 or AMX; <c>float32</c> elsewhere, CUDA included, which this
/// project's machines cannot test — set it there). Where no gradient flows —
/// sampling, evaluation, the frozen reference — the whole policy computes in that dtype. The learner's trained policy
/// keeps FP32 master weights (AdamW on BF16 weights would lose small updates), so checkpoints stay FP32; with
/// <c>bfloat16</c> its decoder GEMMs run in BF16 mixed precision (<see cref="TrainingPrecision"/>).</summary>
public sealed class PolicyOptions
{
    public const string Section = "Policy";

    [RegularExpression(@"^(cpu|cuda(:\d+)?)$", ErrorMessage = "Policy:Device must be cpu, cuda or cuda:N")]
    public string Device { get; set; } = "cpu";

    [RegularExpression("^(auto|float32|bfloat16)$", ErrorMessage = "Policy:ComputeDtype must be auto, float32 or bfloat16")]
    public string ComputeDtype { get; set; } = "auto";

    public Device TorchDevice()
    {
        if (Device.StartsWith("cuda") && !cuda.is_available())
            throw new ArgumentException($"Policy:Device is {Device}, but libtorch sees no CUDA device (is this the CUDA build, -p:TorchBackend=cuda?)");
        return device(Device);
    }

    public ScalarType Dtype() => ComputeDtype switch
    {
        "float32" => float32,
        "bfloat16" => bfloat16,
        "auto" => !Device.StartsWith("cuda") && CpuFeatures.HasBf16Units(CpuFeatures.Current()) ? bfloat16 : float32,
        _ => throw new ArgumentException($"Policy:ComputeDtype must be auto, float32 or bfloat16, not '{ComputeDtype}'"),
    };

    /// <summary>A policy that only infers: on the device, in the compute dtype.</summary>
    public CausalLm ForInference(CausalLm policy) => policy.MoveTo(TorchDevice(), Dtype());

    /// <summary>The decoder-GEMM precision a trained policy is built with: the run's <c>Grpo:Precision</c>, except that
    /// FP32 becomes BF16 mixed precision when this process computes in BF16.</summary>
    public LinearPrecision TrainingPrecision(LinearPrecision requested) =>
        requested == LinearPrecision.Fp32 && Dtype() == bfloat16 ? LinearPrecision.Bf16 : requested;

    /// <summary>A policy being trained: on the device, FP32 master weights.</summary>
    public CausalLm ForTraining(CausalLm policy) => policy.MoveTo(TorchDevice(), float32);
}
