namespace Pipeline.Learner.Training;

/// <summary>The per-step metrics a run stores (names as in the run database's metrics table). Where TRL's GRPO
/// trainer logs the same figure, the name is TRL's (<c>reward_std</c>, <c>rewards/{component}/mean</c>,
/// <c>frac_reward_zero_std</c>, <c>completions/…</c>, <c>entropy</c>, <c>clip_ratio/…</c>, <c>learning_rate</c>,
/// <c>num_tokens</c>, <c>step_time</c>, <c>sampling/…</c>); verl's where only verl has one (<c>timing_s/…</c>,
/// <c>perf/throughput</c>). Deliberate differences: <c>num_tokens</c> counts this step's prompt and completion tokens
/// (TRL's is cumulative; a chart can sum), and <c>perf/throughput</c> is the rollout's completion tokens per second of
/// sampling. The original names (<c>reward</c>, <c>accuracy</c>, <c>format</c>, <c>clip_fraction</c>, …) stay.</summary>
public static class StepMetrics
{
    public static Dictionary<string, double> Of(StepResult step, StepTiming timing, int behaviourVersion, int staleness, double learningRate)
    {
        var values = new Dictionary<string, double>
        {
            ["reward"] = step.MeanReward,
            ["accuracy"] = step.Accuracy,
            ["format"] = step.FormatRate,
            ["groups_used"] = step.GroupsUsed,
            ["groups_dropped"] = step.GroupsDropped,
            ["behaviour_version"] = behaviourVersion,
            ["staleness"] = staleness,
            ["step_seconds"] = step.Seconds,
            ["learning_rate"] = learningRate,
            ["timing_s/learn"] = timing.Learn,
            ["timing_s/publish"] = timing.Publish,
            ["step_time"] = timing.Learn + timing.Publish,
        };
        if (timing.Generate > 0) values["timing_s/generate"] = timing.Generate;
        if (timing.Score > 0) values["timing_s/score"] = timing.Score;
        if (step.Rewards is { } rewards)
        {
            values["reward_std"] = rewards.RewardStd;
            values["frac_reward_zero_std"] = rewards.FractionZeroStd;
            foreach (var (name, (mean, std)) in rewards.Components)
            {
                values[$"rewards/{name}/mean"] = mean;
                values[$"rewards/{name}/std"] = std;
            }
        }
        if (step.Lengths is { } lengths)
        {
            values["completions/mean_length"] = lengths.Mean;
            values["completions/min_length"] = lengths.Min;
            values["completions/max_length"] = lengths.Max;
            values["completions/clipped_ratio"] = lengths.ClippedRatio;
            values["num_tokens"] = lengths.Tokens;
            if (timing.Generate > 0) values["perf/throughput"] = lengths.CompletionTokens / timing.Generate;
        }
        if (!step.Updated) return values;
        if (step.Phases is { } phases)
        {
            values["timing_s/learn/batch"] = phases.Batch;
            values["timing_s/learn/ref"] = phases.Reference;
            values["timing_s/learn/forward"] = phases.PolicyForward;
            values["timing_s/learn/backward"] = phases.PolicyBackward;
            values["timing_s/learn/optimizer"] = phases.Optimizer;
        }
        values["loss"] = step.Loss;
        values["clip_fraction"] = step.ClipFraction;
        values["grad_norm"] = step.GradNorm;
        values["completion_tokens"] = step.CompletionTokens;
        if (step.Kl is { } kl) values["kl"] = kl;
        if (step.Entropy is { } entropy) values["entropy"] = entropy;
        if (step.LossStats is { } stats)
        {
            values["clip_ratio/low_mean"] = stats.ClipLowFraction;
            values["clip_ratio/high_mean"] = stats.ClipHighFraction;
            values["clip_ratio/region_mean"] = stats.ClipLowFraction + stats.ClipHighFraction;
            values["sampling/importance_sampling_ratio/min"] = stats.MinRatio;
            values["sampling/importance_sampling_ratio/mean"] = stats.MeanRatio;
            values["sampling/importance_sampling_ratio/max"] = stats.MaxRatio;
            values["sampling/sampling_logp_difference/mean"] = stats.MeanAbsLogRatio;
            values["sampling/sampling_logp_difference/max"] = stats.MaxAbsLogRatio;
        }
        return values;
    }
}
