using MassTransit;
using Pipeline.Contracts;
using Pipeline.Learner.Runs;

namespace Pipeline.Learner.Consumers;

/// <summary>Hands each scored group to the learner, which stores it exactly once and trains when its batch is complete.</summary>
public sealed class RolloutGroupScoredConsumer(RunCoordinator coordinator) : IConsumer<RolloutGroupScored>
{
    public Task Consume(ConsumeContext<RolloutGroupScored> context) =>
        coordinator.AcceptAsync(context.Message, context.CancellationToken);
}
