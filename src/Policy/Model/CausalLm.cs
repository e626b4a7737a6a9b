using Pipeline.Policy.Tokenization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>The policy: a Llama-style decoder (RMSNorm, rotary positions, SwiGLU, grouped-query causal attention) with
/// a language-model head — Hugging Face's <c>LlamaForCausalLM</c> / <c>Qwen2ForCausalLM</c>, with the same state-dict
/// names — and the tokenizer it was trained with.</summary>
public sealed class CausalLm : nn.Module
{
    readonly DecoderStack model;
    readonly Linear lm_head;
    readonly RotaryTables _rotary;

    public CausalLm(PolicyConfig config, PolicyTokenizer? tokenizer = null) : base(nameof(CausalLm))
    {
        config.Validate();
        Config = config;
        Tokenizer = tokenizer ?? ByteTokenizer.Instance;
        Prompts = new PromptTokens(Tokenizer, config.EosTokenIds[0]);
        model = new DecoderStack(config);
        lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        _rotary = new RotaryTables(config.HeadDim, config.MaxPositionEmbeddings, config.RopeTheta, config.RopeScaling);
        RegisterComponents();
        if (config.TieWordEmbeddings) lm_head.weight = model.Embeddings.weight!;
    }

    public PolicyConfig Config { get; }

    public PolicyTokenizer Tokenizer { get; }

    /// <summary>Prompts and completions as this policy's token sequences.</summary>
    public PromptTokens Prompts { get; }

    /// <summary>Where the weights live; inputs are built there.</summary>
    public Device Device => model.Embeddings.weight!.device;

    /// <summary>The dtype the weights compute in (FP32, or BF16 for inference).</summary>
    public ScalarType ComputeDtype => model.Embeddings.weight!.dtype;

    /// <summary>The configuration of a new policy over <see cref="ByteTokenizer"/>'s vocabulary.</summary>
    public static PolicyConfig DefaultConfig() => new()
    {
        Architectures = [PolicyConfig.Llama],
        VocabSize = ByteTokenizer.VocabSize,
        BosTokenId = ByteTokenizer.Bos,
        EosTokenIds = new TokenIds(ByteTokenizer.Eos),
        PadTokenId = ByteTokenizer.Pad,
    };

    /// <summary>Next-token logits, in the compute dtype.</summary>
    /// <param name="inputIds">(B, T) int64</param>
    /// <param name="positions">(B, T) int64 rotary positions</param>
    /// <param name="mask">(B, 1, T, S) additive attention mask</param>
    /// <returns>(B, T, V)</returns>
    public Tensor Logits(Tensor inputIds, Tensor positions, Tensor mask, KvCache? cache = null)
    {
        if (positions.max().item<long>() >= _rotary.MaxPositions)
            throw new ArgumentException($"sequence longer than max_position_embeddings ({_rotary.MaxPositions})");
        using var rotations = _rotary.At(positions);
        return lm_head.forward(model.Forward(inputIds, rotations, mask, cache));
    }

    /// <summary>Moves the weights to <paramref name="device"/> in <paramref name="dtype"/>, keeping a tied head tied
    /// (moving replaces each parameter on its own).</summary>
    public CausalLm MoveTo(Device device, ScalarType dtype)
    {
        if (Device.type != device.type || Device.index != device.index || ComputeDtype != dtype)
        {
            this.to(dtype).to(device);
            if (Config.TieWordEmbeddings) lm_head.weight = model.Embeddings.weight!;
        }
        return this;
    }

    /// <summary>The dtype of the KV cache: the one attention runs in (<see cref="Attention.DtypeFor"/>), FP32 on the
    /// CPU.</summary>
    public ScalarType CacheDtype => Attention.DtypeFor(Device, ComputeDtype);

    public KvCache NewCache(long batch, int capacity) =>
        new(Config.NumHiddenLayers, batch, Config.KeyValueHeads, capacity, Config.HeadDim, CacheDtype, Device);

    /// <summary>Whether a state-dict entry may be absent from a weights file: the head when tied to the embeddings.</summary>
    public bool IsTiedCopy(string name) => Config.TieWordEmbeddings && name == "lm_head.weight";

    protected override void Dispose(bool disposing)
    {
        if (disposing) _rotary.Dispose();
        base.Dispose(disposing);
    }
}
