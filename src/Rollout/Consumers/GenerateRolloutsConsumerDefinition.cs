using MassTransit;

namespace Pipeline.Rollout.Consumers;

/// <summary>One batch at a time per worker (sampling already uses every core), prefetch of one so that idle
/// workers get the next batch rather than a busy one hoarding it; a few retries for a checkpoint not yet visible.</summary>
public sealed class GenerateRolloutsConsumerDefinition : ConsumerDefinition<GenerateRolloutsConsumer>
{
    public GenerateRolloutsConsumerDefinition()
    {
        EndpointName = Contracts.Queues.GenerateRollouts;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<GenerateRolloutsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = 1;
        // Sampling that cannot publish (the broker away) is retried for about a minute: a broker restart on a loaded
        // machine outlasts a few seconds, and the batch's command must not end in the error queue.
        endpointConfigurator.UseMessageRetry(r => r.Intervals(500, 2000, 5000, 15000, 30000));
    }
}
