namespace Pipeline.Policy.Checkpoints;

/// <summary>How a checkpoint's weights are stored: FP32 (<c>model.safetensors</c>, format <c>safetensors-fp32</c>)
/// or FP8 E4M3 with 128×128 block scales (<c>model.fp8.safetensors</c>, format
/// <c>safetensors-fp8-e4m3-block128</c>, about a quarter of the bytes; see <see cref="Fp8.Fp8Weights"/>).</summary>
public enum CheckpointFormat
{
    Fp32,
    Fp8,
}
