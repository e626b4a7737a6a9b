using MassTransit;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Learner.Training;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Learner.Runs;

/// <summary>Publishing a policy version is write → record → announce: <see cref="PolicyRecorder"/> writes, fsyncs
/// and records it, and only then is <see cref="PolicyPublished"/> announced (waiting for a broker that is away), so a reader
/// never sees a version that is not complete on disk.</summary>
public sealed class WeightPublisher(PolicyRecorder recorder, IBus bus)
{
    public async Task<PolicyPublished> PublishAsync(Guid runId, int version, GrpoTrainer trainer, string checkpointDirectory,
        CheckpointFormat format, CancellationToken cancellationToken)
    {
        var published = await recorder.RecordAsync(runId, version, trainer, checkpointDirectory, format, cancellationToken);
        await bus.PublishWithRetry(published, cancellationToken);
        return published;
    }

    public Task AnnounceAsync(PolicyPublished published, CancellationToken cancellationToken) => bus.PublishWithRetry(published, cancellationToken);
}
