using MassTransit;

namespace Pipeline.Rollout.Consumers;

/// <summary>Every worker needs its own copy of each <c>PolicyPublished</c>: on RabbitMQ each worker instance gets
/// a temporary queue of its own bound to the event's exchange (see the service's bus setup), so the event fans out
/// instead of being shared like a command.</summary>
public sealed class PolicyPublishedConsumerDefinition : ConsumerDefinition<PolicyPublishedConsumer>
{
    public PolicyPublishedConsumerDefinition()
    {
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PolicyPublishedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(200, 1000, 3000));
    }
}
