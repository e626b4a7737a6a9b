using System.Text.Json.Serialization;
using Pipeline.Policy.Fp8;

namespace Pipeline.Policy.Model;

/// <summary>A Llama-style decoder's shape, with Hugging Face <c>config.json</c> field names so that a checkpoint
/// directory reads like a Hugging Face one.</summary>
public sealed record PolicyConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 128;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 384;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 4;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 4;
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 256;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-5;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("bos_token_id")] public int BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public int EosTokenId { get; init; }
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }

    /// <summary>How this process computes the decoder's linear layers; a training choice, not part of the model, so
    /// it is never written to <c>config.json</c> (a loaded checkpoint is FP32 unless asked otherwise).</summary>
    [JsonIgnore] public LinearPrecision Precision { get; init; } = LinearPrecision.Fp32;

    [JsonIgnore] public int HeadDim => HiddenSize / NumAttentionHeads;

    public void Validate()
    {
        if (VocabSize <= 0) throw new ArgumentException("vocab_size must be positive");
        if (HiddenSize % NumAttentionHeads != 0) throw new ArgumentException($"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        if (HeadDim % 2 != 0) throw new ArgumentException($"the head dimension {HeadDim} must be even for rotary positions");
        if (NumHiddenLayers <= 0 || IntermediateSize <= 0 || MaxPositionEmbeddings <= 0)
            throw new ArgumentException("num_hidden_layers, intermediate_size and max_position_embeddings must be positive");
    }
}
