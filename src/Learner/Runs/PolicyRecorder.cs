using Pipeline.Contracts;
using Pipeline.Data.Stores;
using Pipeline.Learner.Training;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Learner.Runs;

/// <summary>Writes a policy version and records it: the checkpoint (weights, config and the optimizer state beside
/// them) is written and fsynced (<see cref="Checkpoint.Save"/>), then its URI and hash are recorded in the run
/// database. Announcing it is the caller's choice (<see cref="WeightPublisher"/> does; a replay does not).</summary>
public sealed class PolicyRecorder(PolicyVersionStore versions)
{
    public async Task<PolicyPublished> RecordAsync(Guid runId, int version, GrpoTrainer trainer, string checkpointDirectory,
        CheckpointFormat format, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(checkpointDirectory, runId.ToString("N"), $"v{version:D5}");
        var sha256 = Checkpoint.Save(trainer.Policy, directory, format,
            staging => trainer.SaveOptimizerState(Path.Combine(staging, Checkpoint.OptimizerFile)));
        var recorded = new PolicyPublished
        {
            RunId = runId,
            Version = version,
            CheckpointUri = CheckpointUris.FromPath(directory),
            Sha256 = sha256,
            Format = Checkpoint.FormatName(format),
        };
        await versions.AddAsync(recorded, cancellationToken);
        return recorded;
    }
}
