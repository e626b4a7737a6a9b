using MassTransit;
using Pipeline.Verifier.Rewards;

namespace Pipeline.Verifier.Consumers;

/// <summary>Retry and concurrency for <see cref="RolloutGroupGeneratedConsumer"/>.</summary>
public sealed class RolloutGroupGeneratedConsumerDefinition : ConsumerDefinition<RolloutGroupGeneratedConsumer>
{
    public RolloutGroupGeneratedConsumerDefinition()
    {
        // Rule scoring is CPU-bound: one group per core; more replicas scale it out.
        ConcurrentMessageLimit = Environment.ProcessorCount;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RolloutGroupGeneratedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            // A malformed group fails the same way every time: straight to the error queue.
            retry.Ignore<ScoringInputException>();
            retry.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        });
    }
}
