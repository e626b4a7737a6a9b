using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Learner.Consumers;

/// <summary>A run start is not retried blindly: a bad configuration fails the same way every time and belongs in
/// the error queue, where the run's failure is visible.</summary>
public sealed class StartRunConsumerDefinition : ConsumerDefinition<StartRunConsumer>
{
    public StartRunConsumerDefinition()
    {
        EndpointName = Queues.StartRun;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<StartRunConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<FileNotFoundException>();
            r.Ignore<InvalidDataException>();
            r.Intervals(1000, 5000);
        });
    }
}
