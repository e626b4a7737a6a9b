using Pipeline.Policy.Tokenization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>The policy: a small Llama-style decoder (RMSNorm, rotary positions, SwiGLU, causal attention) with a
/// language-model head — Hugging Face's <c>LlamaForCausalLM</c>, with the same state-dict names.</summary>
public sealed class CausalLm : nn.Module
{
    readonly DecoderStack model;
    readonly Linear lm_head;
    readonly RotaryTables _rotary;

    public CausalLm(PolicyConfig config) : base(nameof(CausalLm))
    {
        config.Validate();
        Config = config;
        model = new DecoderStack(config);
        lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        _rotary = new RotaryTables(config.HeadDim, config.MaxPositionEmbeddings, config.RopeTheta);
        RegisterComponents();
        if (config.TieWordEmbeddings) lm_head.weight = model.Embeddings.weight!;
    }

    public PolicyConfig Config { get; }

    /// <summary>The configuration of a new policy over <see cref="ByteTokenizer"/>'s vocabulary.</summary>
    public static PolicyConfig DefaultConfig() => new()
    {
        VocabSize = ByteTokenizer.VocabSize,
        BosTokenId = ByteTokenizer.Bos,
        EosTokenId = ByteTokenizer.Eos,
        PadTokenId = ByteTokenizer.Pad,
    };

    /// <summary>Next-token logits.</summary>
    /// <param name="inputIds">(B, T) int64</param>
    /// <param name="positions">(B, T) int64 rotary positions</param>
    /// <param name="mask">(B, 1, T, S) additive attention mask</param>
    /// <returns>(B, T, V)</returns>
    public Tensor Logits(Tensor inputIds, Tensor positions, Tensor mask, KvCache? cache = null)
    {
        if (positions.max().item<long>() >= _rotary.MaxPositions)
            throw new ArgumentException($"sequence longer than max_position_embeddings ({_rotary.MaxPositions})");
        var (cos, sin) = _rotary.At(positions);
        return lm_head.forward(model.Forward(inputIds, cos, sin, mask, cache));
    }

    public KvCache NewCache(long batch, int capacity) =>
        new(Config.NumHiddenLayers, batch, Config.NumAttentionHeads, capacity, Config.HeadDim);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _rotary.Dispose();
        base.Dispose(disposing);
    }
}
