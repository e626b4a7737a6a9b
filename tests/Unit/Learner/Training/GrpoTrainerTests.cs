using Pipeline.Contracts;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Training;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using Pipeline.Tests.Unit.Policy;
using static Pipeline.Tests.Unit.Learner.Training.ScoredGroups;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Learner.Training;

[Collection(TorchCollection.Name)]
public sealed class GrpoTrainerTests
{
    const int MaxTokens = 8;
    const string Prompt = "2+2";
    static readonly int[] Rewarded = [.. ByteTokenizer.Instance.Encode("4"), ByteTokenizer.Eos];          // 2 tokens
    static readonly int[] Unrewarded = [.. ByteTokenizer.Instance.Encode("five"), ByteTokenizer.Eos];     // 5 tokens

    [Fact]
    public void With_beta_zero_and_on_policy_log_probs_the_loss_is_minus_the_token_mean_of_the_advantages()
    {
        // rewards [1, 0]: advantages ±0.5 / (√0.5 + 1e-4) = ±0.7070067953 (TrainingBatchTests)
        // the behaviour log-probs are the policy's own, so ρ = 1 on every token: nothing is clipped and each token's
        // loss is −A of its completion; the dapo aggregation divides the sum by all 2 + 5 = 7 tokens:
        // loss = −(2 · 0.7070067953 − 5 · 0.7070067953) / 7 = 3 · 0.7070067953 / 7 = 0.3030029123
        // The reported loss is a float32 sum over 7 tokens: 1e-6 is a few float ulps at this size.
        using var scope = NewDisposeScope();
        var policy = TinyPolicy.Create(seed: 3);
        using var trainer = Trainer(policy);
        var group = OnPolicyGroup(policy, (Rewarded, 1.0), (Unrewarded, 0.0));

        var result = trainer.Step([group]);

        Assert.True(result.Updated);
        Assert.Equal(0.3030029123, result.Loss, 1e-6);
        Assert.Equal(0.0, result.ClipFraction);
        Assert.Null(result.Kl);
        Assert.Equal(7, result.CompletionTokens);
        Assert.Equal((1, 0), (result.GroupsUsed, result.GroupsDropped));
        Assert.Equal(0.5, result.MeanReward);
        policy.Dispose();
    }

    [Fact]
    public void A_batch_whose_groups_all_have_equal_rewards_leaves_the_weights_unchanged()
    {
        using var scope = NewDisposeScope();
        var policy = TinyPolicy.Create(seed: 3);
        using var trainer = Trainer(policy);
        var before = Snapshot(policy);

        var result = trainer.Step([OnPolicyGroup(policy, (Rewarded, 1.0), (Unrewarded, 1.0)), OnPolicyGroup(policy, (Rewarded, 0.0), (Unrewarded, 0.0))]);

        Assert.False(result.Updated);
        Assert.Equal((0, 2), (result.GroupsUsed, result.GroupsDropped));
        Assert.Equal(0.5, result.MeanReward);
        Assert.All(Snapshot(policy), p => Assert.True(TinyPolicy.Identical(before[p.Key], p.Value), p.Key));
        policy.Dispose();
    }

    [Fact]
    public async Task An_update_waits_for_a_pending_read_of_the_weights_and_leaves_its_failure_to_the_reader()
    {
        // The learner stages a version's checkpoint on another thread while the next step's passes run: the update
        // must not change the weights (or AdamW's state) before that read is done, and a read that failed is reported
        // by whoever reads, not by the step.
        using var policy = TinyPolicy.Create(seed: 3);
        using var trainer = Trainer(policy);
        var group = OnPolicyGroup(policy, (Rewarded, 1.0), (Unrewarded, 0.0));
        var before = Snapshot(policy);
        var read = new TaskCompletionSource();
        trainer.PendingRead = read.Task;

        var step = Task.Run(() => trainer.Step([group]));
        bool finishedWhileReading = await Task.WhenAny(step, Task.Delay(TimeSpan.FromSeconds(1))) == step;
        var whileReading = Snapshot(policy);
        read.SetException(new IOException("disk full"));
        var result = await step;

        Assert.False(finishedWhileReading, "the step updated the weights while a read of them was under way");
        Assert.All(whileReading, p => Assert.True(TinyPolicy.Identical(before[p.Key], p.Value), p.Key));
        Assert.True(result.Updated);
        Assert.Contains(Snapshot(policy), p => !TinyPolicy.Identical(before[p.Key], p.Value));
    }

    [Fact]
    public void One_step_changes_the_weights_and_lowers_the_loss_on_the_same_batch()
    {
        // Stepping twice on one batch: the second step reports the loss of the same batch (same behaviour log-probs,
        // same advantages) under the weights the first step left.
        using var scope = NewDisposeScope();
        var policy = TinyPolicy.Create(seed: 3);
        using var trainer = Trainer(policy);
        var group = OnPolicyGroup(policy, (Rewarded, 1.0), (Unrewarded, 0.0));
        var before = Snapshot(policy);

        var first = trainer.Step([group]);
        var changed = Snapshot(policy).Count(p => !TinyPolicy.Identical(before[p.Key], p.Value));
        var second = trainer.Step([group]);

        Assert.True(changed > 0, "no parameter changed");
        Assert.True(second.Loss < first.Loss, $"loss {first.Loss} → {second.Loss}");
        policy.Dispose();
    }

    [Fact]
    public void An_on_policy_step_reports_no_log_prob_mismatch_a_positive_entropy_and_the_completion_lengths()
    {
        // The behaviour log-probs are the policy's own: every ratio is 1 and |log π − log π_behaviour| is 0 up to float
        // rounding. The lengths are 2 and 5 tokens, none cut by the budget.
        using var scope = NewDisposeScope();
        var policy = TinyPolicy.Create(seed: 3);
        using var trainer = Trainer(policy);

        var result = trainer.Step([OnPolicyGroup(policy, (Rewarded, 1.0), (Unrewarded, 0.0))]);

        Assert.Equal(1.0, result.LossStats!.MinRatio, 1e-5);
        Assert.Equal(1.0, result.LossStats.MaxRatio, 1e-5);
        Assert.Equal(0.0, result.LossStats.MaxAbsLogRatio, 1e-5);
        Assert.InRange(result.Entropy!.Value, 1e-3, Math.Log(policy.Config.VocabSize) + 1e-6);
        Assert.Equal((3.5, 2, 5, 0.0), (result.Lengths!.Mean, result.Lengths.Min, result.Lengths.Max, result.Lengths.ClippedRatio));
        Assert.Equal((0.5, 0.0), (result.Rewards!.RewardStd, result.Rewards.FractionZeroStd));
        policy.Dispose();
    }

    [Fact]
    public void A_step_says_where_its_time_went_and_a_step_without_an_update_has_no_phases()
    {
        // Not a timing test: the phases are parts of the step, so none is negative and together they fit inside it.
        using var scope = NewDisposeScope();
        var policy = TinyPolicy.Create(seed: 3);
        using var trainer = Trainer(policy);

        var step = trainer.Step([OnPolicyGroup(policy, (Rewarded, 1.0), (Unrewarded, 0.0))]);
        var phases = step.Phases!;
        var skipped = trainer.Step([OnPolicyGroup(policy, (Rewarded, 1.0), (Unrewarded, 1.0))]);

        double[] parts = [phases.Batch, phases.Reference, phases.PolicyForward, phases.PolicyBackward, phases.Optimizer];
        Assert.All(parts, part => Assert.True(part >= 0));
        Assert.True(phases.PolicyForward > 0 && phases.PolicyBackward > 0 && phases.Optimizer > 0);
        Assert.True(parts.Sum() <= step.Seconds, $"{parts.Sum()} s of phases in a {step.Seconds} s step");
        Assert.False(skipped.Updated);
        Assert.Null(skipped.Phases);
        policy.Dispose();
    }

    [Theory]
    [InlineData(LossAggregation.Dapo)]
    [InlineData(LossAggregation.Grpo)]
    [InlineData(LossAggregation.DrGrpo)]
    public void A_step_cut_into_micro_batches_is_the_one_pass_step(LossAggregation aggregation)
    {
        // Two identical policies and references, one step each on the same two groups (completions of 2, 5, 3 and 8
        // tokens; behaviour log-probs moved off the policy's own so that ratios differ from 1 and some clip, and a
        // reference of another seed so the KL term counts): one trainer lays the batch out in one pass, the other
        // gives every row its own micro-batch. The loss, its statistics and every gradient must agree to float
        // rounding.
        using var scope = NewDisposeScope();
        int[] three = [.. ByteTokenizer.Instance.Encode("44"), ByteTokenizer.Eos];
        int[] eight = [.. ByteTokenizer.Instance.Encode("it is 4"), ByteTokenizer.Eos];
        var steps = new[] { 10_000_000, 1 }.Select(budget =>
        {
            var policy = TinyPolicy.Create(seed: 3);
            var reference = TinyPolicy.Create(seed: 5);
            var options = new GrpoOptions { Beta = 0.04, Aggregation = aggregation, LearningRate = 1e-3, MicroBatchTokens = budget };
            using var trainer = new GrpoTrainer(policy, reference, options, MaxTokens, temperature: 1f);
            var groups = new[]
            {
                OffPolicyGroup(policy, (Rewarded, 1.0), (Unrewarded, 0.0)),
                OffPolicyGroup(policy, (three, 0.0), (eight, 1.0)),
            };
            var result = trainer.Step(groups);
            var gradients = TinyPolicy.Parameters(policy).ToDictionary(p => p.Key, p => p.Value.grad!.detach().clone());
            return (result, gradients);
        }).ToArray();
        var (whole, parts) = (steps[0].result, steps[1].result);

        Assert.Equal(whole.Loss, parts.Loss, 1e-6);
        Assert.Equal(18, parts.CompletionTokens);
        Assert.Equal(whole.CompletionTokens, parts.CompletionTokens);
        Assert.Equal(whole.Kl!.Value, parts.Kl!.Value, 1e-6);
        Assert.True(whole.Kl.Value > 0);
        Assert.Equal(whole.ClipFraction, parts.ClipFraction, 1e-9);
        Assert.True(whole.ClipFraction > 0, "no token was clipped: the ratios are too close to 1 to test the statistics");
        Assert.Equal(whole.LossStats!.MeanRatio, parts.LossStats!.MeanRatio, 1e-6);
        Assert.Equal(whole.LossStats.MaxAbsLogRatio, parts.LossStats.MaxAbsLogRatio, 1e-5);
        Assert.Equal(whole.Entropy!.Value, parts.Entropy!.Value, 1e-5);
        Assert.Equal(whole.GradNorm, parts.GradNorm, 1e-5);
        foreach (var (name, gradient) in steps[0].gradients)
            Assert.True(gradient.allclose(steps[1].gradients[name], rtol: 1e-4, atol: 1e-7), name);
    }

    static GrpoTrainer Trainer(CausalLm policy) =>
        new(policy, reference: null, new GrpoOptions { Beta = 0, Aggregation = LossAggregation.Dapo, LearningRate = 1e-3 }, MaxTokens, temperature: 1f);

    /// <summary>A group whose behaviour log-probs are the policy's own, computed on the layout the trainer builds for
    /// it (the same rows in the same order, so the same padding and the same arithmetic).</summary>
    static RolloutGroupScored OnPolicyGroup(CausalLm policy, params (int[] Tokens, double Reward)[] samples) => BehaviourGroup(policy, 0f, samples);

    /// <summary>As <see cref="OnPolicyGroup"/>, with the behaviour log-probs moved by −0.3, 0 and +0.3 in turn: ratios of
    /// e^0.3 ≈ 1.35 (clipped above when the advantage is positive) and e^−0.3 ≈ 0.74 (clipped below when negative).</summary>
    static RolloutGroupScored OffPolicyGroup(CausalLm policy, params (int[] Tokens, double Reward)[] samples) => BehaviourGroup(policy, 0.3f, samples);

    static RolloutGroupScored BehaviourGroup(CausalLm policy, float shift, (int[] Tokens, double Reward)[] samples)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var completions = samples.Select(s => s.Tokens).ToArray();
        using var layout = TokenLayout.Build(completions.Select(_ => PromptTokens.Bytes.ForRenderedPrompt(Prompt)).ToArray(), completions, policy.Config.PadId);
        var logProbs = SequenceLogProbs.Compute(policy, layout);                             // (B, Lc)
        return Group(Prompt, samples.Select((s, i) =>
            new Sample(i, s.Tokens, logProbs[i].narrow(0, 0, s.Tokens.Length).data<float>().Select((l, j) => l + shift * (j % 3 - 1)).ToArray(), s.Reward)).ToArray());
    }

    static Dictionary<string, Tensor> Snapshot(CausalLm policy) =>
        TinyPolicy.Parameters(policy).ToDictionary(p => p.Key, p => p.Value.detach().clone());
}
