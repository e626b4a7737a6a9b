using System.Text.Json;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Learner.Runs;

namespace Pipeline.Learner.Consumers;

/// <summary>Starts a run that <c>pipeline train</c> asked for; settings that are not even readable fail the run with
/// the reason (<see cref="RunCoordinator.RefuseAsync"/>), so the sender sees why.</summary>
public sealed class StartRunConsumer(RunCoordinator coordinator) : IConsumer<StartRun>
{
    public async Task Consume(ConsumeContext<StartRun> context)
    {
        RunSettings settings;
        try
        {
            settings = RunSettings.FromJson(context.Message.ConfigJson);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            await coordinator.RefuseAsync(context.Message.RunId, context.Message.ConfigJson, $"the run's settings are not readable: {e.Message}", context.CancellationToken);
            return;
        }
        await coordinator.StartAsync(settings, context.Message.RunId, context.CancellationToken);
    }
}
