using Pipeline.Learner.Training;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Learner.Runs;

/// <summary>A consumed batch after its GRPO step and before it is recorded (<see cref="TrainingStepRunner"/>): the
/// step's figures (null for a stale batch), the new version's checkpoint staged on disk (null when the step made no
/// version), the learning rate the step used, and how long staging took. Disposing it removes a staged checkpoint
/// that was never recorded.</summary>
public sealed class TrainedBatch(ConsumedBatch batch, StepResult? step, StagedCheckpoint? staged, double learningRate, double stagingSeconds)
    : IDisposable
{
    public ConsumedBatch Batch { get; } = batch;
    public StepResult? Step { get; } = step;
    public StagedCheckpoint? Staged { get; } = staged;
    public double LearningRate { get; } = learningRate;
    public double StagingSeconds { get; } = stagingSeconds;

    public void Dispose() => Staged?.Dispose();
}
