namespace Pipeline.Policy.Fp8;

/// <summary>Operand precision of the decoder's linear-layer GEMMs (attention projections and the MLP): FP32; BF16 mixed
/// precision (<see cref="Model.Bf16Linear"/>); or DeepSeek-V3's FP8 recipe (<see cref="Fp8Linear"/>). Embeddings, the
/// output head, norms and the attention products q·kᵀ and softmax·v stay FP32 in each, as do master weights and
/// optimizer state (DeepSeek-V3 §3.3.1).</summary>
public enum LinearPrecision
{
    Fp32,
    Fp8,
    Bf16,
}
