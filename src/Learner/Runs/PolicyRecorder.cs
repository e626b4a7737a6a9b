using Pipeline.Contracts;
using Pipeline.Data.Stores;
using Pipeline.Learner.Training;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Learner.Runs;

/// <summary>Writes a policy version and records it: the checkpoint (weights, config and the optimizer state beside
/// them) is written and fsynced (<see cref="Checkpoint.Save"/>), then its URI and hash are recorded in the run
/// database. Announcing it is the caller's choice (<see cref="WeightPublisher"/> does; a replay does not). The
/// learner's loop does it in two halves, both while its next step trains: <see cref="Stage"/> on the thread pool
/// (the next step's update waits for it), then
/// <see cref="RecordAsync(Guid, int, StagedCheckpoint, CheckpointFormat, CancellationToken)"/>.</summary>
public sealed class PolicyRecorder(PolicyVersionStore versions)
{
    public async Task<PolicyPublished> RecordAsync(Guid runId, int version, GrpoTrainer trainer, string checkpointDirectory,
        CheckpointFormat format, CancellationToken cancellationToken)
    {
        using var staged = Stage(runId, version, trainer, checkpointDirectory, format);
        return await RecordAsync(runId, version, staged, format, cancellationToken);
    }

    /// <summary>Where a run's versions are written: a folder of its own under <c>Run:CheckpointDirectory</c>.</summary>
    public static string RunDirectory(string checkpointDirectory, Guid runId) => Path.Combine(checkpointDirectory, runId.ToString("N"));

    /// <summary>The version's files written (weights and optimizer state as the trainer holds them now), not yet
    /// durable nor in place.</summary>
    public static StagedCheckpoint Stage(Guid runId, int version, GrpoTrainer trainer, string checkpointDirectory, CheckpointFormat format) =>
        Checkpoint.Stage(trainer.Policy, Path.Combine(RunDirectory(checkpointDirectory, runId), $"v{version:D5}"), format,
            staging => trainer.SaveOptimizerState(Path.Combine(staging, Checkpoint.OptimizerFile)));

    /// <summary>Makes a staged version durable and puts it in place, then records it.</summary>
    public async Task<PolicyPublished> RecordAsync(Guid runId, int version, StagedCheckpoint staged, CheckpointFormat format,
        CancellationToken cancellationToken)
    {
        var sha256 = staged.Commit();
        var recorded = new PolicyPublished
        {
            RunId = runId,
            Version = version,
            CheckpointUri = CheckpointUris.FromPath(staged.Directory),
            Sha256 = sha256,
            Format = Checkpoint.FormatName(format),
        };
        await versions.AddAsync(recorded, cancellationToken);
        return recorded;
    }
}
