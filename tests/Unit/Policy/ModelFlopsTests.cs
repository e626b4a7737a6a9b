using Pipeline.Policy.Model;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

/// <summary>FLOP counts against hand arithmetic, on a shape small enough to multiply out: hidden 8, 2 heads of 4, one
/// key/value head (grouped-query), MLP 16, 2 layers, vocabulary 10.</summary>
[Collection(TorchCollection.Name)]
public sealed class ModelFlopsTests
{
    /// <summary>The shape multiplied out by hand here and in <c>StepFlopsTests</c>.</summary>
    internal static readonly PolicyConfig Small = CausalLm.DefaultConfig() with
    {
        HiddenSize = 8,
        NumAttentionHeads = 2,
        NumKeyValueHeads = 1,
        IntermediateSize = 16,
        NumHiddenLayers = 2,
        VocabSize = 10,
        EosTokenIds = new TokenIds(1),
    };

    [Fact]
    public void Matmul_parameters_are_the_projections_of_every_layer_and_the_head()
    {
        // q 8·8 + k 8·4 + v 8·4 + o 8·8 = 192; gate, up, down 3·8·16 = 384; (192 + 384)·2 layers = 1152; head 8·10 = 80.
        Assert.Equal(1232, ModelFlops.MatmulParameters(Small));
        Assert.Equal(2464, ModelFlops.LinearPerToken(Small));
        // QKᵀ and the sum over V: 2·2 heads·4 dims each, per layer: 4·2·2·4 = 64.
        Assert.Equal(64, ModelFlops.AttentionPerPair(Small));
    }

    [Fact]
    public void A_padded_batch_attends_every_column_and_the_needed_work_is_causal()
    {
        Assert.Equal(new AttentionWork(15, 75), ModelFlops.Padded(rows: 3, length: 5));          // 3·5 tokens, 3·5·5 pairs
        Assert.Equal(new AttentionWork(5, 9), ModelFlops.Causal([2, 3]));                        // 2+3 tokens, 3+6 pairs
        Assert.Equal(15 * 2464 + 75 * 64, ModelFlops.Forward(Small, ModelFlops.Padded(3, 5)));   // 41,760
        Assert.Equal(5 * 2464 + 9 * 64, ModelFlops.Forward(Small, ModelFlops.Causal([2, 3])));   // 12,896
    }

    [Fact]
    public void Matmul_parameters_match_the_weights_of_a_built_model()
    {
        using var scope = NewDisposeScope();
        using var policy = new CausalLm(TinyPolicy.Config with { NumKeyValueHeads = 1 });
        long linear = policy.named_parameters()
            .Where(p => p.name.EndsWith("_proj.weight", StringComparison.Ordinal) || p.name == "lm_head.weight")
            .Sum(p => p.parameter.numel());
        Assert.Equal(linear, ModelFlops.MatmulParameters(policy.Config));
    }
}
