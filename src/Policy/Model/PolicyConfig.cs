using System.Text.Json.Serialization;
using Pipeline.Policy.Fp8;

namespace Pipeline.Policy.Model;

/// <summary>A decoder's shape in Hugging Face's <c>config.json</c> names, for the three architectures Pipeline reads:
/// <c>LlamaForCausalLM</c>, <c>MistralForCausalLM</c> (Llama's layout with a sliding attention window) and
/// <c>Qwen2ForCausalLM</c> (Llama with biases on the query, key and value projections). Fields a file leaves out take
/// transformers' defaults.</summary>
public sealed record PolicyConfig
{
    public const string Llama = "LlamaForCausalLM", Mistral = "MistralForCausalLM", Qwen2 = "Qwen2ForCausalLM";
    static readonly string[] Supported = [Llama, Mistral, Qwen2];

    string? _architecture;

    /// <summary>The first entry names the model class; absent means the one <c>model_type</c> implies.</summary>
    [JsonPropertyName("architectures")]
    public string[] Architectures
    {
        get => [Architecture];
        init => _architecture = value is { Length: > 0 } ? value[0] : null;
    }

    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 128;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 384;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 4;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 4;

    /// <summary>Grouped-query attention (Ainslie et al. 2023): this many key/value heads, each shared by
    /// <c>num_attention_heads / num_key_value_heads</c> query heads; absent means one per query head.</summary>
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; init; }

    /// <summary>Absent means <c>hidden_size / num_attention_heads</c>.</summary>
    [JsonPropertyName("head_dim")] public int? HeadDimension { get; init; }

    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 256;

    /// <summary>Mistral's sliding window: a token attends to itself and the <c>sliding_window − 1</c> tokens before it
    /// (transformers' <c>q − k &lt; sliding_window</c>); absent or null means full causal attention.</summary>
    [JsonPropertyName("sliding_window"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SlidingWindow { get; init; }

    /// <summary>Qwen2's switch for a window on some layers only (<c>max_window_layers</c>); Pipeline refuses it.</summary>
    [JsonPropertyName("use_sliding_window"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? UseSlidingWindow { get; init; }
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-5;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    [JsonPropertyName("rope_scaling")] public RopeScaling? RopeScaling { get; init; }

    /// <summary>Llama's switch for biases on all four attention projections; Qwen2 has q/k/v biases whatever it says.</summary>
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }
    [JsonPropertyName("mlp_bias")] public bool MlpBias { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }

    /// <summary>One id or a list (Llama 3 instruct stops at several); <c>generation_config.json</c> overrides it.</summary>
    [JsonPropertyName("eos_token_id")] public TokenIds EosTokenIds { get; init; } = new();
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    /// <summary>How this process computes the decoder's linear layers; a training choice, not part of the model, so
    /// it is never written to <c>config.json</c> (a loaded checkpoint is FP32 unless asked otherwise).</summary>
    [JsonIgnore] public LinearPrecision Precision { get; init; } = LinearPrecision.Fp32;

    [JsonIgnore]
    public string Architecture => _architecture ?? ModelType switch
    {
        "qwen2" => Qwen2,
        "mistral" => Mistral,
        "llama" => Llama,
        _ => ModelType,
    };

    [JsonIgnore] public int HeadDim => HeadDimension ?? HiddenSize / NumAttentionHeads;
    [JsonIgnore] public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;

    /// <summary>The attention window the model was trained with: Mistral's <c>sliding_window</c>; null for Llama and
    /// Qwen2, whose <c>sliding_window</c> field is inert unless <c>use_sliding_window</c> (refused) is set.</summary>
    [JsonIgnore] public int? AttentionWindow => Architecture == Mistral ? SlidingWindow : null;
    [JsonIgnore] public bool QkvBias => AttentionBias || Architecture == Qwen2;
    [JsonIgnore] public bool OutputBias => AttentionBias && Architecture != Qwen2;

    /// <summary>The id that pads batches: <c>pad_token_id</c>, else the first eos (padding is masked, so any real id does).</summary>
    [JsonIgnore] public int PadId => PadTokenId ?? (EosTokenIds.Count > 0 ? EosTokenIds[0] : 0);

    public void Validate()
    {
        if (!Supported.Contains(Architecture))
            throw new InvalidDataException($"unsupported architecture '{Architecture}': Pipeline reads {string.Join(", ", Supported)}");
        if (VocabSize <= 0) throw new ArgumentException("vocab_size must be positive");
        if (HeadDimension is null && HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        if (NumAttentionHeads % KeyValueHeads != 0)
            throw new ArgumentException($"num_attention_heads {NumAttentionHeads} is not a multiple of num_key_value_heads {KeyValueHeads}");
        if (HeadDim % 2 != 0) throw new ArgumentException($"the head dimension {HeadDim} must be even for rotary positions");
        if (NumHiddenLayers <= 0 || IntermediateSize <= 0 || MaxPositionEmbeddings <= 0)
            throw new ArgumentException("num_hidden_layers, intermediate_size and max_position_embeddings must be positive");
        if (HiddenAct != "silu") throw new InvalidDataException($"unsupported hidden_act '{HiddenAct}': Pipeline's MLP is SwiGLU (silu)");
        if (MlpBias) throw new InvalidDataException("unsupported mlp_bias = true");
        if (EosTokenIds.Count == 0) throw new ArgumentException("eos_token_id is missing");
        if (Architecture == Mistral && SlidingWindow is <= 0) throw new ArgumentException($"sliding_window {SlidingWindow} must be positive");
        if (Architecture == Qwen2 && UseSlidingWindow == true)
            throw new InvalidDataException("unsupported use_sliding_window = true: Qwen2's window on some layers only is not implemented");
        RopeScaling?.Validate();
    }
}
