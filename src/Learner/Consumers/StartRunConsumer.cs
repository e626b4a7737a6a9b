using MassTransit;
using Pipeline.Contracts;
using Pipeline.Learner.Runs;

namespace Pipeline.Learner.Consumers;

/// <summary>Starts a run that <c>pipeline train</c> asked for.</summary>
public sealed class StartRunConsumer(RunCoordinator coordinator) : IConsumer<StartRun>
{
    public Task Consume(ConsumeContext<StartRun> context) =>
        coordinator.StartAsync(RunSettings.FromJson(context.Message.ConfigJson), context.Message.RunId, context.CancellationToken);
}
