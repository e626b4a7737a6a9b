using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Verifier.Consumers;

/// <summary>Scores a generated group and publishes it as <see cref="RolloutGroupScored"/>. A group that cannot
/// be scored throws: MassTransit retries or moves it to the error queue (see the definition), never drops it.</summary>
public sealed class RolloutGroupGeneratedConsumer(GroupScorer scorer) : IConsumer<RolloutGroupGenerated>
{
    public Task Consume(ConsumeContext<RolloutGroupGenerated> context) =>
        context.Publish(scorer.Score(context.Message), context.CancellationToken);
}
