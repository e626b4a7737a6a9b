using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Rollout.Consumers;

/// <summary>Loads each newly published policy version (hash-verified) so the next batch finds it ready.</summary>
public sealed class PolicyPublishedConsumer(PolicyCache policies) : IConsumer<PolicyPublished>
{
    public Task Consume(ConsumeContext<PolicyPublished> context)
    {
        policies.Register(PolicyLocation.Of(context.Message));
        return Task.CompletedTask;
    }
}
