using Pipeline.Learner.Grpo;
using Pipeline.Learner.Training;

namespace Pipeline.Tests.Unit.Learner.Training;

public sealed class StepMetricsTests
{
    [Fact]
    public void An_update_records_TRL_names_for_rewards_lengths_clipping_and_the_rollout_mismatch()
    {
        var step = new StepResult
        {
            Updated = true,
            MeanReward = 0.75,
            Accuracy = 0.5,
            FormatRate = 1,
            GroupsUsed = 3,
            GroupsDropped = 1,
            Rewards = new BatchRewards(0.75, 0.5, 1) { RewardStd = 0.25, FractionZeroStd = 0.25, Components = new Dictionary<string, (double, double)> { ["accuracy"] = (0.5, 0.5) } },
            Lengths = new CompletionLengths(10, 4, 16, 0.125, CompletionTokens: 160, Tokens: 400),
            Kl = 0.01,
            Entropy = 1.5,
            LossStats = new PolicyLossStats(0.01, 0.3, 0.1, 0.2, 1.01, 160) { MinRatio = 0.8, MaxRatio = 1.3, MeanAbsLogRatio = 0.02, MaxAbsLogRatio = 0.3 },
            Phases = new StepPhases(Batch: 0.05, Reference: 0.25, PolicyForward: 0.5, PolicyBackward: 1, Optimizer: 0.125),
            Seconds = 2,
        };

        var values = StepMetrics.Of(step, new StepTiming(Generate: 4, Score: 1, Learn: 2, Publish: 0.5), behaviourVersion: 6, staleness: 1, learningRate: 1e-4);

        Assert.Equal(0.25, values["reward_std"]);
        Assert.Equal(0.5, values["rewards/accuracy/std"]);
        Assert.Equal(0.25, values["frac_reward_zero_std"]);
        Assert.Equal((10, 4, 16, 0.125), (values["completions/mean_length"], values["completions/min_length"], values["completions/max_length"], values["completions/clipped_ratio"]));
        Assert.Equal((0.1, 0.2), (values["clip_ratio/low_mean"], values["clip_ratio/high_mean"]));
        Assert.Equal(0.3, values["clip_ratio/region_mean"], 1e-12);
        Assert.Equal((0.8, 1.3, 0.3), (values["sampling/importance_sampling_ratio/min"], values["sampling/importance_sampling_ratio/max"], values["sampling/sampling_logp_difference/max"]));
        Assert.Equal((1.5, 0.01, 1e-4, 400.0), (values["entropy"], values["kl"], values["learning_rate"], values["num_tokens"]));
        Assert.Equal((4.0, 1.0, 2.0, 0.5, 2.5), (values["timing_s/generate"], values["timing_s/score"], values["timing_s/learn"], values["timing_s/publish"], values["step_time"]));
        Assert.Equal((0.05, 0.25, 0.5, 1.0, 0.125), (values["timing_s/learn/batch"], values["timing_s/learn/ref"], values["timing_s/learn/forward"],
            values["timing_s/learn/backward"], values["timing_s/learn/optimizer"]));
        Assert.Equal(40, values["perf/throughput"]);   // 160 completion tokens in 4 s of sampling
        Assert.Equal(1, values["staleness"]);
    }

    [Fact]
    public void A_step_without_an_update_or_known_generation_time_records_no_loss_figures_and_no_throughput()
    {
        var step = new StepResult { Updated = false, MeanReward = 1, Accuracy = 1, FormatRate = 1, GroupsUsed = 0, GroupsDropped = 2 };

        var values = StepMetrics.Of(step, new StepTiming(0, 0, 0.1, 0), behaviourVersion: 0, staleness: 0, learningRate: 1e-4);

        Assert.DoesNotContain("loss", values.Keys);
        Assert.DoesNotContain("entropy", values.Keys);
        Assert.DoesNotContain("timing_s/learn/forward", values.Keys);
        Assert.DoesNotContain("timing_s/generate", values.Keys);
        Assert.DoesNotContain("perf/throughput", values.Keys);
        Assert.Equal(2, values["groups_dropped"]);
    }
}
