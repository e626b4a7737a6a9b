namespace Pipeline.Dashboard;

/// <summary>The completions of one step (a batch id, as in the metrics table) with their advantages. Implemented
/// by the learner, which alone knows how a run's settings turn rewards into advantages.</summary>
public interface IStepSamples
{
    /// <returns>the rows in (prompt, completion index) order; empty when the run stores no group of that batch</returns>
    Task<IReadOnlyList<SampleRow>> ReadAsync(Guid runId, int step, CancellationToken cancellationToken);
}
