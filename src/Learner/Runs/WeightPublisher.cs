using MassTransit;
using Pipeline.Contracts;
using Pipeline.Data.Stores;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Model;

namespace Pipeline.Learner.Runs;

/// <summary>Publishing a policy version is write → record → announce: the checkpoint is written and fsynced
/// (<see cref="Checkpoint.Save"/>), its URI and hash are recorded in the run database (so a worker that starts later
/// finds it), and only then is <see cref="PolicyPublished"/> announced.</summary>
public sealed class WeightPublisher(PolicyVersionStore versions, IBus bus)
{
    public async Task<PolicyPublished> PublishAsync(Guid runId, int version, CausalLm policy, string checkpointDirectory,
        CheckpointFormat format, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(checkpointDirectory, runId.ToString("N"), $"v{version:D5}");
        var sha256 = Checkpoint.Save(policy, directory, format);
        var published = new PolicyPublished
        {
            RunId = runId,
            Version = version,
            CheckpointUri = CheckpointUris.FromPath(directory),
            Sha256 = sha256,
            Format = Checkpoint.FormatName(format),
        };
        await versions.AddAsync(published, cancellationToken);
        await bus.Publish(published, cancellationToken);
        return published;
    }
}
