using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Verifier.Consumers;

/// <summary>Scores a generated group and publishes it as <see cref="RolloutGroupScored"/>. A group that cannot
/// be scored throws: MassTransit retries or moves it to the error queue (see the definition), never drops it.</summary>
public sealed class RolloutGroupGeneratedConsumer(GroupScorer scorer) : IConsumer<RolloutGroupGenerated>
{
    public async Task Consume(ConsumeContext<RolloutGroupGenerated> context)
    {
        var scored = await scorer.ScoreAsync(context.Message, context.CancellationToken);
        await context.Publish(scored, context.CancellationToken);
    }
}
