using Pipeline.Learner.Grpo;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Learner.Grpo;

public sealed class PolicyLossTests
{
    const double Tolerance = 1e-9;
    const int MaxCompletionTokens = 4;

    // Behaviour log-probs are 0, so each ratio is e^logp: logp = ln ρ.
    //   sequence 0, A = +1: ρ = 1.5 → min(1.5, 1.28) = 1.28, loss −1.28, clipped high (no gradient)
    //                       ρ = 0.5 → min(0.5, 0.80) = 0.50, loss −0.50, not clipped (A > 0 ignores the low side)
    //   sequence 1, A = −1: ρ = 1.4 → min(−1.4, −1.28) = −1.4, loss 1.40, not clipped (A < 0 ignores the high side)
    //                       ρ = 0.7 → min(−0.7, −0.80) = −0.8, loss 0.80, clipped low (no gradient)
    // token mean (dapo) = (−1.28 − 0.5 + 1.4 + 0.8) / 4 = 0.42 / 4 = 0.105
    static readonly double[,] ClipRatios = { { 1.5, 0.5 }, { 1.4, 0.7 } };
    static readonly double[] ClipAdvantages = [1.0, -1.0];

    [Fact]
    public void Clipping_acts_on_the_high_side_for_positive_and_the_low_side_for_negative_advantages()
    {
        using var scope = NewDisposeScope();
        var logProbs = LogOf(ClipRatios, requiresGrad: true);

        var result = Compute(logProbs, zeros(2, 2, float64), null, ClipAdvantages, ones(2, 2), Options(LossAggregation.Dapo, beta: 0));

        Assert.Equal(0.105, result.Loss.ToDouble(), Tolerance);
        Assert.Null(result.Stats.MeanKl);
        Assert.Equal(0.25, result.Stats.ClipHighFraction, Tolerance);
        Assert.Equal(0.25, result.Stats.ClipLowFraction, Tolerance);
        Assert.Equal(0.5, result.Stats.ClipFraction, Tolerance);
        // (1.5 + 0.5 + 1.4 + 0.7) / 4 = 1.025
        Assert.Equal(1.025, result.Stats.MeanRatio, Tolerance);
        Assert.Equal(4, result.Stats.TokenCount);
    }

    [Fact]
    public void Clipped_tokens_get_no_gradient_and_unclipped_ones_get_minus_advantage_times_ratio()
    {
        using var scope = NewDisposeScope();
        var logProbs = LogOf(ClipRatios, requiresGrad: true);

        Compute(logProbs, zeros(2, 2, float64), null, ClipAdvantages, ones(2, 2), Options(LossAggregation.Dapo, beta: 0))
            .Loss.backward();

        // d(−ρA)/dlogp = −Aρ, divided by the 4 tokens of the dapo mean:
        //   [ clipped → 0,  −(+1)(0.5)/4 = −0.125 ]
        //   [ −(−1)(1.4)/4 = 0.35,  clipped → 0   ]
        AssertClose([0.0, -0.125, 0.35, 0.0], logProbs.grad!);
    }

    [Fact]
    public void Float32_inputs_give_the_same_loss_within_single_precision()
    {
        using var scope = NewDisposeScope();
        var logProbs = LogOf(ClipRatios, requiresGrad: false).to_type(float32);

        var result = Compute(logProbs, zeros(2, 2, float32), null, ClipAdvantages, ones(2, 2), Options(LossAggregation.Dapo, beta: 0));

        Assert.Equal(ScalarType.Float32, result.Loss.dtype);
        Assert.Equal(0.105, result.Loss.ToDouble(), 1e-6);
    }

    // Ragged batch, β = 0, ratios chosen inside the clip range so every token is −Aρ:
    //   sequence 0 (3 tokens), A = +1, ρ = [1.0, 1.1, 1.2] → losses [−1.0, −1.1, −1.2], sum −3.3, mean −1.1
    //   sequence 1 (1 token),  A = −2, ρ = [1.0]           → loss [2.0],              sum  2.0, mean  2.0
    // grpo    = (−1.1 + 2.0) / 2           = 0.45
    // dapo    = (−3.3 + 2.0) / 4 tokens    = −0.325
    // dr_grpo = (−3.3 + 2.0) / (2 × 4)     = −0.1625   (normaliser defaults to max completion tokens, 4)
    [Theory]
    [InlineData(LossAggregation.Grpo, 0.45)]
    [InlineData(LossAggregation.Dapo, -0.325)]
    [InlineData(LossAggregation.DrGrpo, -0.1625)]
    public void Each_aggregation_weighs_a_ragged_batch_differently(LossAggregation aggregation, double expected)
    {
        using var scope = NewDisposeScope();
        var (logProbs, behaviour, mask) = RaggedBatch();

        var result = Compute(logProbs, behaviour, null, [1.0, -2.0], mask, Options(aggregation, beta: 0));

        Assert.Equal(expected, result.Loss.ToDouble(), Tolerance);
        Assert.Equal(4, result.Stats.TokenCount);
    }

    [Fact]
    public void An_explicit_dr_grpo_normaliser_overrides_the_completion_budget()
    {
        using var scope = NewDisposeScope();
        var (logProbs, behaviour, mask) = RaggedBatch();
        var options = new GrpoOptions { Aggregation = LossAggregation.DrGrpo, Beta = 0, DrGrpoNormalizer = 10 };

        var result = Compute(logProbs, behaviour, null, [1.0, -2.0], mask, options);

        // (−3.3 + 2.0) / (2 × 10) = −0.065
        Assert.Equal(-0.065, result.Loss.ToDouble(), Tolerance);
    }

    [Fact]
    public void Grpo_aggregation_weighs_tokens_by_their_sequence_length_and_padding_gets_no_gradient()
    {
        using var scope = NewDisposeScope();
        var (logProbs, behaviour, mask) = RaggedBatch();

        var result = Compute(logProbs, behaviour, null, [1.0, -2.0], mask, Options(LossAggregation.Grpo, beta: 0));
        result.Loss.backward();

        // d/dlogp = (1/B) × (1/length) × (−Aρ):
        //   sequence 0: ½ × ⅓ × −ρ = [−1/6, −1.1/6, −1.2/6] = [−0.1666666667, −0.1833333333, −0.2]
        //   sequence 1: ½ × 1 × 2 × 1.0 = 1.0; the padded positions (which hold 50 and −inf) get exactly 0
        Assert.True(double.IsFinite(result.Loss.ToDouble()));
        AssertClose([-1.0 / 6, -1.1 / 6, -0.2, 1.0, 0.0, 0.0], logProbs.grad!);
    }

    // Two tokens with A = 0 so only β·KL remains; x = log(π_ref/π_θ) = [ln 2, ln 4], β = 1, dapo (token mean):
    //   k1: mean(−x)        = −1.5 ln 2            = −1.0397207708
    //   k2: mean(½x²)       = 1.25 (ln 2)²          = 0.6005662674
    //   k3: mean(eˣ − x − 1) = (4 − 3 ln 2) / 2     = 0.9602792292
    [Theory]
    [InlineData(KlEstimator.K1, -1.0397207708)]
    [InlineData(KlEstimator.K2, 0.6005662674)]
    [InlineData(KlEstimator.K3, 0.9602792292)]
    public void Beta_times_the_chosen_kl_estimate_is_added_per_token(KlEstimator estimator, double expected)
    {
        using var scope = NewDisposeScope();
        var logProbs = tensor(new double[,] { { -1.0, -2.0 } });
        var refLogProbs = tensor(new double[,] { { -1.0 + Math.Log(2), -2.0 + Math.Log(4) } });
        var options = new GrpoOptions { Aggregation = LossAggregation.Dapo, Beta = 1.0, KlEstimator = estimator };

        var result = Compute(logProbs, logProbs, refLogProbs, [0.0], ones(1, 2), options);

        Assert.Equal(expected, result.Loss.ToDouble(), Tolerance);
        Assert.Equal(expected, result.Stats.MeanKl!.Value, Tolerance);
    }

    [Fact]
    public void Beta_zero_ignores_the_reference_even_when_one_is_given()
    {
        using var scope = NewDisposeScope();
        var logProbs = LogOf(ClipRatios, requiresGrad: false);
        var behaviour = zeros(2, 2, float64);
        var farAwayReference = full(2, 2, -30.0, float64);
        var options = Options(LossAggregation.Dapo, beta: 0);

        var withoutRef = Compute(logProbs, behaviour, null, ClipAdvantages, ones(2, 2), options);
        var withRef = Compute(logProbs, behaviour, farAwayReference, ClipAdvantages, ones(2, 2), options);
        var withKl = Compute(logProbs, behaviour, farAwayReference, ClipAdvantages, ones(2, 2), Options(LossAggregation.Dapo, beta: 0.04));

        Assert.Equal(withoutRef.Loss.ToDouble(), withRef.Loss.ToDouble());
        Assert.Null(withRef.Stats.MeanKl);
        Assert.True(Math.Abs(withoutRef.Loss.ToDouble() - withKl.Loss.ToDouble()) > 1e-3);
    }

    [Fact]
    public void A_positive_beta_without_a_reference_is_refused()
    {
        using var scope = NewDisposeScope();
        var logProbs = LogOf(ClipRatios, requiresGrad: false);

        Assert.Throws<ArgumentException>(() =>
            Compute(logProbs, logProbs, null, ClipAdvantages, ones(2, 2), Options(LossAggregation.Dapo, beta: 0.04)));
    }

    [Fact]
    public void Mismatched_shapes_are_refused()
    {
        using var scope = NewDisposeScope();
        var logProbs = LogOf(ClipRatios, requiresGrad: false);

        Assert.Throws<ArgumentException>(() =>
            Compute(logProbs, zeros(2, 3, float64), null, ClipAdvantages, ones(2, 2), Options(LossAggregation.Dapo, beta: 0)));
        Assert.Throws<ArgumentException>(() =>
            Compute(logProbs, logProbs, null, [1.0, 2.0, 3.0], ones(2, 2), Options(LossAggregation.Dapo, beta: 0)));
    }

    [Fact]
    public void The_loss_belongs_to_the_callers_scope_and_the_callers_tensors_survive()
    {
        using var outer = NewDisposeScope();
        var logProbs = LogOf(ClipRatios, requiresGrad: true);
        var behaviour = zeros(2, 2, float64);
        var reference = zeros(2, 2, float64);
        var advantages = tensor(ClipAdvantages);
        var mask = ones(2, 2);

        Tensor loss;
        using (var inner = NewDisposeScope())
        {
            loss = PolicyLoss.Compute(logProbs, behaviour, reference, advantages, mask, new GrpoOptions(), MaxCompletionTokens).Loss;
            Assert.False(loss.IsInvalid);
            loss.MoveToOuterDisposeScope();
        }

        Assert.All(new[] { logProbs, behaviour, reference, advantages, mask }, t => Assert.False(t.IsInvalid));
        Assert.False(loss.IsInvalid);
        loss.backward();
        Assert.NotNull(logProbs.grad);
    }

    [Fact]
    public void The_loss_is_disposed_with_the_scope_it_was_returned_into()
    {
        var logProbs = LogOf(ClipRatios, requiresGrad: false);
        Tensor loss;
        using (var caller = NewDisposeScope())
        {
            loss = PolicyLoss.Compute(logProbs, zeros(2, 2, float64), null, tensor(ClipAdvantages), ones(2, 2),
                Options(LossAggregation.Dapo, beta: 0), MaxCompletionTokens).Loss;
        }

        Assert.True(loss.IsInvalid);
        Assert.False(logProbs.IsInvalid);
        logProbs.Dispose();
    }

    static PolicyLossResult Compute(Tensor logProbs, Tensor behaviour, Tensor? reference, double[] advantages, Tensor mask, GrpoOptions options) =>
        PolicyLoss.Compute(logProbs, behaviour, reference, tensor(advantages), mask, options, MaxCompletionTokens);

    static GrpoOptions Options(LossAggregation aggregation, double beta) =>
        new() { Aggregation = aggregation, Beta = beta, EpsLow = 0.2, EpsHigh = 0.28 };

    static Tensor LogOf(double[,] ratios, bool requiresGrad)
    {
        var logs = new double[ratios.GetLength(0), ratios.GetLength(1)];
        for (var b = 0; b < logs.GetLength(0); b++)
        {
            for (var t = 0; t < logs.GetLength(1); t++)
            {
                logs[b, t] = Math.Log(ratios[b, t]);
            }
        }

        return tensor(logs, requires_grad: requiresGrad);
    }

    // Two sequences of lengths 3 and 1; the padding holds values that would overflow or poison the loss if used.
    static (Tensor LogProbs, Tensor Behaviour, Tensor Mask) RaggedBatch()
    {
        var logProbs = tensor(new double[,]
        {
            { Math.Log(1.0), Math.Log(1.1), Math.Log(1.2) },
            { 0.0, 50.0, double.NegativeInfinity },
        }, requires_grad: true);
        var behaviour = tensor(new double[,] { { 0, 0, 0 }, { 0, 0, double.NaN } });
        var mask = tensor(new long[,] { { 1, 1, 1 }, { 1, 0, 0 } });
        return (logProbs, behaviour, mask);
    }

    static void AssertClose(double[] expected, Tensor actual)
    {
        var values = actual.data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], values[i], Tolerance);
        }
    }
}
