using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Policy.Model;

/// <summary>Embeddings, the decoder layers and the final norm: Hugging Face's <c>LlamaModel</c> (the
/// <c>model.*</c> keys of a checkpoint).</summary>
public sealed class DecoderStack : nn.Module
{
    readonly Embedding embed_tokens;
    readonly ModuleList<DecoderLayer> layers;
    readonly RmsNorm norm;

    public DecoderStack(PolicyConfig config) : base(nameof(DecoderStack))
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new DecoderLayer(config)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    public Embedding Embeddings => embed_tokens;

    public Tensor Forward(Tensor inputIds, Tensor rotations, Tensor mask, KvCache? cache)
    {
        var x = embed_tokens.forward(inputIds); // (B, T, C)
        for (int i = 0; i < layers.Count; i++)
            x = layers[i].Forward(x, rotations, mask, cache, i);
        cache?.Advance((int)inputIds.shape[1]);
        return norm.forward(x);
    }
}
