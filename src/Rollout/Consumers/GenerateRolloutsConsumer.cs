using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Rollout.Consumers;

/// <summary>Samples a batch and publishes one event per prompt group. Publishing all groups only after the whole
/// batch is sampled means a worker stopped mid-batch publishes nothing, and the unacknowledged command is
/// redelivered to another worker.</summary>
public sealed class GenerateRolloutsConsumer(RolloutGenerator generator) : IConsumer<GenerateRollouts>
{
    public async Task Consume(ConsumeContext<GenerateRollouts> context)
    {
        var groups = await generator.GenerateAsync(context.Message, context.CancellationToken);
        await context.PublishBatch(groups, context.CancellationToken);
    }
}
