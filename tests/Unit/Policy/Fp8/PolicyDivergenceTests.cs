using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy.Fp8;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class PolicyDivergenceTests
{
    static readonly int[][] Prompts = [[1, 5, 6], [1, 7]];
    static readonly int[][] Completions = [[8, 9, 2], [11, 2]];

    [Fact]
    public void A_policy_has_zero_divergence_from_itself_over_every_completion_token()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var policy = new CausalLm(Fp8LinearTests.TinyConfig());

        var kl = PolicyDivergence.Measure(policy, policy, Prompts, Completions);

        Assert.Equal(5, kl.Tokens);
        Assert.Equal(0.0, kl.Mean, 9);
        Assert.Equal(0.0, kl.Max, 9);
    }

    [Fact]
    public void A_perturbed_copy_diverges()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        using var policy = new CausalLm(Fp8LinearTests.TinyConfig());
        manual_seed(14);
        using var other = new CausalLm(Fp8LinearTests.TinyConfig());

        var kl = PolicyDivergence.Measure(policy, other, Prompts, Completions);

        Assert.True(kl.Mean > 1e-4 && kl.Max >= kl.Mean, $"mean {kl.Mean}, max {kl.Max}");
    }
}
