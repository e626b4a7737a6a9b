namespace Pipeline.Benchmarks.Bus;

/// <summary>Where a run's wall time went, step by step, from what it stored: when each group arrived, when each step
/// published its version. For a step that consumed batch b: <see cref="WaitingSeconds"/> is how long the learner,
/// done with the previous step, still waited for b's last group (rollout, scoring and the bus not hidden behind
/// training); <see cref="TrainingSeconds"/> is from the moment it could start (b complete and the previous step done)
/// to its version being recorded — the GRPO step, the checkpoint write and the database writes.</summary>
public sealed record StepTimes(double WaitingSeconds, double TrainingSeconds, int Steps)
{
    /// <param name="start">when the run started (version 0 is published then)</param>
    /// <param name="batchComplete">each batch id's last group's arrival</param>
    /// <param name="steps">each step that produced a version, in order: the batch it consumed and when its version was recorded</param>
    public static StepTimes Of(DateTimeOffset start, IReadOnlyDictionary<int, DateTimeOffset> batchComplete,
        IReadOnlyList<(int BatchId, DateTimeOffset Recorded)> steps)
    {
        if (steps.Count == 0) return new StepTimes(0, 0, 0);
        double waiting = 0, training = 0;
        var previousEnd = start;
        foreach (var (batch, recorded) in steps)
        {
            if (!batchComplete.TryGetValue(batch, out var complete))
                throw new ArgumentException($"step on batch {batch} has no stored group of that batch");
            var ready = complete > previousEnd ? complete : previousEnd;
            waiting += (ready - previousEnd).TotalSeconds;
            training += (recorded - ready).TotalSeconds;
            previousEnd = recorded;
        }
        return new StepTimes(waiting / steps.Count, training / steps.Count, steps.Count);
    }
}
