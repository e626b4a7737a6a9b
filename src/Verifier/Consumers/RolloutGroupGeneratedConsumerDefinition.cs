using MassTransit;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;

namespace Pipeline.Verifier.Consumers;

/// <summary>Retry and concurrency for <see cref="RolloutGroupGeneratedConsumer"/>.</summary>
public sealed class RolloutGroupGeneratedConsumerDefinition : ConsumerDefinition<RolloutGroupGeneratedConsumer>
{
    public RolloutGroupGeneratedConsumerDefinition()
    {
        // A math group is milliseconds of CPU; a code group mostly waits for its sandboxed runs, which the sandbox
        // bounds by its MaxParallelRuns. Several groups per core keep math flowing while code runs.
        ConcurrentMessageLimit = 4 * Environment.ProcessorCount;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RolloutGroupGeneratedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            // A malformed group fails the same way every time, and a verifier whose sandbox could not be
            // established refuses every code group: straight to the error queue, with the reason.
            retry.Ignore<ScoringInputException>();
            retry.Ignore<SandboxUnavailableException>();
            // Anything else (the broker away while the scores are published) is retried for about a minute: a
            // broker restart on a loaded machine outlasts a few seconds.
            retry.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
        });
    }
}
