using System.ComponentModel.DataAnnotations;
using Pipeline.Policy.Model;
using static TorchSharp.torch;

namespace Pipeline.Policy;

/// <summary>Where a process runs its policies (section "Policy"), for the rollout worker, the learner and
/// <c>pipeline generate</c>: <c>Device</c> is <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (CUDA needs the build with
/// <c>-p:TorchBackend=cuda</c>); <c>ComputeDtype</c> is <c>float32</c> or <c>bfloat16</c>. The dtype applies where no
/// gradient flows — sampling, evaluation, the frozen reference —; the learner's trained policy keeps FP32 master weights
/// (AdamW on BF16 weights would lose small updates), so checkpoints stay FP32.</summary>
public sealed class PolicyOptions
{
    public const string Section = "Policy";

    [RegularExpression(@"^(cpu|cuda(:\d+)?)$", ErrorMessage = "Policy:Device must be cpu, cuda or cuda:N")]
    public string Device { get; set; } = "cpu";

    [RegularExpression("^(float32|bfloat16)$", ErrorMessage = "Policy:ComputeDtype must be float32 or bfloat16")]
    public string ComputeDtype { get; set; } = "float32";

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
        _ => throw new ArgumentException($"Policy:ComputeDtype must be float32 or bfloat16, not '{ComputeDtype}'"),
    };

    /// <summary>A policy that only infers: on the device, in the compute dtype.</summary>
    public CausalLm ForInference(CausalLm policy) => policy.MoveTo(TorchDevice(), Dtype());

    /// <summary>A policy being trained: on the device, FP32 master weights.</summary>
    public CausalLm ForTraining(CausalLm policy) => policy.MoveTo(TorchDevice(), float32);
}
