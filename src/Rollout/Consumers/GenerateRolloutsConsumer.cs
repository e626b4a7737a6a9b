using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;

namespace Pipeline.Rollout.Consumers;

/// <summary>Samples a batch and publishes one event per prompt group. Publishing all groups only after the whole
/// batch is sampled means a worker stopped mid-batch publishes nothing, and the unacknowledged command is
/// redelivered to another worker. One log line when a batch starts and one when its groups are out, each naming
/// this worker, tell an operator (and the distributed tests) which worker did which batch.</summary>
public sealed class GenerateRolloutsConsumer(RolloutGenerator generator, ILogger<GenerateRolloutsConsumer> logger) : IConsumer<GenerateRollouts>
{
    public async Task Consume(ConsumeContext<GenerateRollouts> context)
    {
        var command = context.Message;
        logger.LogInformation("Sampling batch {BatchId} of run {RunId} with policy version {PolicyVersion} on worker {Worker}",
            command.BatchId, command.RunId, command.PolicyVersion, RolloutRegistration.WorkerId);
        var groups = await generator.GenerateAsync(command);
        await context.PublishBatch(groups, context.CancellationToken);
        logger.LogInformation("Published {Groups} groups of batch {BatchId} of run {RunId} from worker {Worker}",
            groups.Count, command.BatchId, command.RunId, RolloutRegistration.WorkerId);
    }
}
