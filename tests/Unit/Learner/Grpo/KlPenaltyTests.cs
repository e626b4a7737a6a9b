using Pipeline.Learner.Grpo;
using TorchSharp;

namespace Pipeline.Tests.Unit.Learner.Grpo;

public sealed class KlPenaltyTests
{
    const double Tolerance = 1e-9;

    // Two tokens with log π_θ = [−1, −2] and log π_ref = log π_θ + x, x = log(π_ref/π_θ) = [ln 2, ln 4].
    [Theory]
    // k1 = log π_θ − log π_ref = −x = [−ln 2, −2 ln 2]
    [InlineData(KlEstimator.K1, -0.6931471806, -1.3862943611)]
    // k2 = ½ x² = [½ (ln 2)², 2 (ln 2)²] = [0.2402265070, 0.9609060278]
    [InlineData(KlEstimator.K2, 0.2402265070, 0.9609060278)]
    // k3 = eˣ − x − 1 = [2 − ln 2 − 1, 4 − 2 ln 2 − 1] = [0.3068528194, 1.6137056389]
    [InlineData(KlEstimator.K3, 0.3068528194, 1.6137056389)]
    public void Each_estimator_matches_its_formula_on_two_tokens(KlEstimator estimator, double first, double second)
    {
        using var scope = torch.NewDisposeScope();
        var logProbs = torch.tensor(new[] { -1.0, -2.0 });
        var refLogProbs = torch.tensor(new[] { -1.0 + Math.Log(2), -2.0 + Math.Log(4) });

        var kl = KlPenalty.PerToken(logProbs, refLogProbs, estimator).data<double>().ToArray();

        Assert.Equal(first, kl[0], Tolerance);
        Assert.Equal(second, kl[1], Tolerance);
    }

    [Fact]
    public void K3_gradient_pulls_the_policy_toward_the_reference()
    {
        using var scope = torch.NewDisposeScope();
        var logProbs = torch.tensor(new[] { -1.0, -2.0 }, requires_grad: true);
        var refLogProbs = torch.tensor(new[] { -1.0 + Math.Log(2), -2.0 - Math.Log(2) });

        KlPenalty.PerToken(logProbs, refLogProbs, KlEstimator.K3).sum().backward();

        // d/dlogp [e^(ref − logp) − (ref − logp) − 1] = 1 − e^(ref − logp): 1 − 2 = −1 and 1 − ½ = 0.5
        var grad = logProbs.grad!.data<double>().ToArray();
        Assert.Equal(-1.0, grad[0], Tolerance);
        Assert.Equal(0.5, grad[1], Tolerance);
    }
}
