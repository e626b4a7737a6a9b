using MassTransit;
using Pipeline.Contracts;
using Pipeline.Learner.Runs;

namespace Pipeline.Learner.Consumers;

/// <summary>A batch that no rollout worker could generate, or a group that no verifier could score, after all
/// retries (the message is in that service's error queue, and MassTransit publishes its Fault): the run can never
/// complete that batch, so it fails, saying which batch or group and why, instead of waiting forever.</summary>
public sealed class RunFaultConsumer(RunCoordinator coordinator) : IConsumer<Fault<GenerateRollouts>>, IConsumer<Fault<RolloutGroupGenerated>>
{
    public Task Consume(ConsumeContext<Fault<GenerateRollouts>> context) =>
        coordinator.FailAsync(context.Message.Message.RunId,
            $"batch {context.Message.Message.BatchId} could not be generated: {Reason(context.Message)}");

    public Task Consume(ConsumeContext<Fault<RolloutGroupGenerated>> context) =>
        coordinator.FailAsync(context.Message.Message.RunId,
            $"group (batch {context.Message.Message.BatchId}, prompt {context.Message.Message.PromptId}) could not be scored: {Reason(context.Message)}");

    static string Reason(Fault fault) =>
        fault.Exceptions.FirstOrDefault() is { } e ? $"{e.ExceptionType}: {e.Message}" : "no exception recorded";
}
