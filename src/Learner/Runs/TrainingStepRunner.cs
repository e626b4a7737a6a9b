using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Data.Stores;
using Pipeline.Hosting;
using Pipeline.Learner.Training;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Learner.Runs;

/// <summary>One consumed batch of a run, handed to the GRPO step in a fixed order.</summary>
/// <param name="Step">the 1-based position of this batch in the run's consumption order</param>
/// <param name="Version">the run's latest version before this step</param>
/// <param name="Stale">the batch lags the learner by more than the staleness bound: recorded, not trained on</param>
public sealed record ConsumedBatch(Guid RunId, int Step, int BatchId, int BehaviourVersion, int Version, bool Stale,
    IReadOnlyList<RolloutGroupScored> Groups);

/// <summary>What a consumed batch did: the step's figures (null for a stale batch) and the version it produced (null
/// when none).</summary>
public sealed record ConsumedBatchOutcome(StepResult? Step, PolicyPublished? Recorded);

/// <summary>Consumes one batch the same way in a live run and in a replay: the GRPO step (unless the batch is stale),
/// the new policy version written and recorded with its optimizer state, the training-step row (which also marks the
/// groups consumed), the step's metrics (<see cref="StepMetrics"/>, also handed to the <see cref="PipelineMeter"/>)
/// and one log line. Announcing the version is the live run's business. In two halves, so that a live run records one
/// step while the next one trains: <see cref="TrainAsync"/> (the step, and its version's files staged meanwhile) and
/// <see cref="RecordAsync"/> (the version made durable and recorded, then the rows).</summary>
public sealed class TrainingStepRunner(PolicyRecorder recorder, TrainingStepStore steps, MetricStore metrics,
    PipelineMeter meter, ILogger<TrainingStepRunner> logger) : IDisposable
{
    /// <summary>Every GRPO step on one thread (<see cref="TorchThread"/>), whichever thread consumed the batch.</summary>
    readonly TorchThread _thread = new("learner");

    public void Dispose() => _thread.Dispose();

    /// <summary>Both halves, one after the other.</summary>
    public async Task<ConsumedBatchOutcome> RunAsync(ConsumedBatch batch, GrpoTrainer trainer, RunOptions run, CancellationToken cancellationToken)
    {
        using var trained = await TrainAsync(batch, trainer, run);
        return await RecordAsync(trained, run, cancellationToken);
    }

    /// <summary>The GRPO step on the learner's thread (none for a stale batch) and, when it updated the policy, the new
    /// version's files staged beside the checkpoint directory on another thread (<see cref="PolicyRecorder.Stage"/>):
    /// the trainer's next update waits for that (<see cref="GrpoTrainer.PendingRead"/>), its forward and backward
    /// passes do not.</summary>
    public async Task<TrainedBatch> TrainAsync(ConsumedBatch batch, GrpoTrainer trainer, RunOptions run)
    {
        if (batch.Stale) return new TrainedBatch(batch, null, null, trainer.LearningRate);
        return await _thread.RunAsync(() =>
        {
            var result = trainer.Step(batch.Groups);
            Task<(StagedCheckpoint, double)>? staging = null;
            if (result.Updated)
            {
                staging = Task.Run(() =>
                {
                    var clock = Stopwatch.StartNew();
                    var staged = PolicyRecorder.Stage(batch.RunId, batch.Version + 1, trainer, run.CheckpointDirectory, run.CheckpointFormat);
                    return (staged, clock.Elapsed.TotalSeconds);
                });
                trainer.PendingRead = staging;
            }
            return new TrainedBatch(batch, result, staging, trainer.LearningRate);
        });
    }

    /// <summary>Records a trained batch: its version made durable and recorded, the training-step row, the metrics and
    /// the log line. Steps are recorded one at a time, in order.</summary>
    public async Task<ConsumedBatchOutcome> RecordAsync(TrainedBatch trained, RunOptions run, CancellationToken cancellationToken)
    {
        var batch = trained.Batch;
        var keys = batch.Groups.Select(g => (g.BatchId, g.PromptId)).ToArray();
        if (trained.Step is not { } result)
        {
            await steps.AddAsync(Record(batch, null, null, keys.Select(k => new DroppedGroup(k.BatchId, k.PromptId, DroppedGroup.Stale)).ToArray(),
                trained.LearningRate), cancellationToken);
            return new ConsumedBatchOutcome(null, null);
        }
        double stagingSeconds = 0;
        PolicyPublished? recorded = null;
        var staging = trained.Staging is { } pending ? await pending : default;
        var publishing = Stopwatch.StartNew();
        if (staging.Checkpoint is { } staged)
        {
            stagingSeconds = staging.Seconds;
            recorded = await recorder.RecordAsync(batch.RunId, batch.Version + 1, staged, run.CheckpointFormat, cancellationToken);
        }
        var dropped = result.Dropped.Select(i => new DroppedGroup(keys[i].BatchId, keys[i].PromptId, DroppedGroup.ZeroVariance)).ToArray();
        await steps.AddAsync(Record(batch, recorded, recorded?.Sha256, dropped, trained.LearningRate), cancellationToken);
        var timing = new StepTiming(
            batch.Groups.Max(g => g.GenerationSeconds),
            batch.Groups.Sum(g => g.ScoringSeconds),
            result.Seconds,
            stagingSeconds + publishing.Elapsed.TotalSeconds);
        var values = StepMetrics.Of(result, timing, batch.BehaviourVersion, batch.Version - batch.BehaviourVersion, trained.LearningRate);
        await metrics.AppendStepAsync(batch.RunId, batch.BatchId, values, cancellationToken);
        meter.RecordStep(batch.RunId, values);
        logger.LogInformation("run {RunId} step {Step} (batch {BatchId}) -> v{Version}: reward {Reward:F3} ± {RewardStd:F3}, acc {Accuracy:P0}, groups {GroupsUsed}/{Groups}, kl {Kl:F4}, entropy {Entropy:F3}, len {Length:F1}, {Seconds:F2} s",
            batch.RunId, batch.Step, batch.BatchId, recorded?.Version ?? batch.Version, result.MeanReward, result.Rewards?.RewardStd ?? 0, result.Accuracy,
            result.GroupsUsed, result.GroupsUsed + result.GroupsDropped, result.Kl ?? 0, result.Entropy ?? 0, result.Lengths?.Mean ?? 0,
            timing.Learn + timing.Publish);
        return new ConsumedBatchOutcome(result, recorded);
    }

    static TrainingStepRecord Record(ConsumedBatch batch, PolicyPublished? recorded, string? sha256, IReadOnlyList<DroppedGroup> dropped, double learningRate) =>
        new(batch.RunId, batch.Step, batch.BatchId, batch.BehaviourVersion, recorded?.Version, sha256,
            batch.Groups.Select(g => (g.BatchId, g.PromptId)).ToArray(), dropped, learningRate);
}
