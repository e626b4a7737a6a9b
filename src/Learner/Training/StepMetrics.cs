namespace Pipeline.Learner.Training;

/// <summary>The per-step metrics a run stores (names as in the run database's metrics table).</summary>
public static class StepMetrics
{
    public static Dictionary<string, double> Of(StepResult step, int behaviourVersion)
    {
        var values = new Dictionary<string, double>
        {
            ["reward"] = step.MeanReward,
            ["accuracy"] = step.Accuracy,
            ["format"] = step.FormatRate,
            ["groups_used"] = step.GroupsUsed,
            ["groups_dropped"] = step.GroupsDropped,
            ["behaviour_version"] = behaviourVersion,
            ["step_seconds"] = step.Seconds,
        };
        if (!step.Updated) return values;
        values["loss"] = step.Loss;
        values["clip_fraction"] = step.ClipFraction;
        values["grad_norm"] = step.GradNorm;
        values["completion_tokens"] = step.CompletionTokens;
        if (step.Kl is { } kl) values["kl"] = kl;
        return values;
    }
}
