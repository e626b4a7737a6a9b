using MassTransit;
using Pipeline.Data;

namespace Pipeline.Learner.Consumers;

/// <summary>Storing a group is a short database write; a few run in parallel. A database that is away (a restart) is
/// waited out twice over: each write retries transient errors itself (<c>Storage:RetryCount</c>), and the message is
/// retried with exponential back-off for about three more minutes before it lands in the error queue — in memory,
/// because broker-side delayed redelivery needs RabbitMQ's delayed-message plugin, which the OS package lacks. A group
/// of a run the database does not hold (<see cref="UnknownRunException"/>) goes to the error queue at once.</summary>
public sealed class RolloutGroupScoredConsumerDefinition : ConsumerDefinition<RolloutGroupScoredConsumer>
{
    public RolloutGroupScoredConsumerDefinition()
    {
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RolloutGroupScoredConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
            // A group of a run the database does not hold never stores: straight to the error queue, where minutes of
            // retries would have held one of the consumer's few slots from the groups that do.
            r.Ignore<UnknownRunException>();
        });
    }
}
