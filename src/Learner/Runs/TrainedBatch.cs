using Pipeline.Learner.Training;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Learner.Runs;

/// <summary>A consumed batch after its GRPO step and before it is recorded (<see cref="TrainingStepRunner"/>): the
/// step's figures (null for a stale batch), the new version's checkpoint being staged on disk (null when
/// the step made no version) with the seconds staging took, and the learning rate the step used. Disposing it waits
/// for the staging and removes a staged checkpoint that was never recorded.</summary>
public sealed class TrainedBatch(ConsumedBatch batch, StepResult? step, Task<(StagedCheckpoint Checkpoint, double Seconds)>? staging, double learningRate)
    : IDisposable
{
    public ConsumedBatch Batch { get; } = batch;
    public StepResult? Step { get; } = step;
    public Task<(StagedCheckpoint Checkpoint, double Seconds)>? Staging { get; } = staging;
    public double LearningRate { get; } = learningRate;

    public void Dispose()
    {
        if (Staging is null) return;
        Task.WaitAny(Staging);
        if (Staging.IsCompletedSuccessfully) Staging.Result.Checkpoint.Dispose();
    }
}
