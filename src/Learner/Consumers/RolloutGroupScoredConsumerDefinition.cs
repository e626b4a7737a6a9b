using MassTransit;

namespace Pipeline.Learner.Consumers;

/// <summary>Storing a group is a short database write; a few run in parallel. Retries cover a database that is
/// briefly unavailable; a group that still fails lands in the error queue.</summary>
public sealed class RolloutGroupScoredConsumerDefinition : ConsumerDefinition<RolloutGroupScoredConsumer>
{
    public RolloutGroupScoredConsumerDefinition()
    {
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RolloutGroupScoredConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(200, 1000, 5000));
    }
}
