using MassTransit;
using MassTransit.RetryPolicies;

namespace Pipeline.Hosting;

/// <summary>Sends and publishes that must not be lost while the broker is away (a restart, a network blip): the learner's
/// next batch and its version announcements. MassTransit reconnects by itself; these retries wait for it, with
/// exponential back-off, for about two and a half minutes before the failure reaches the caller.</summary>
public static class BusRetry
{
    static readonly IRetryPolicy WhileBrokerIsAway =
        Retry.Exponential(12, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1));

    public static Task SendWithRetry<T>(this ISendEndpointProvider endpoints, Uri address, T message, CancellationToken cancellationToken)
        where T : class =>
        WhileBrokerIsAway.Retry(async () =>
        {
            var endpoint = await endpoints.GetSendEndpoint(address);
            await endpoint.Send(message, cancellationToken);
        }, cancellationToken);

    public static Task PublishWithRetry<T>(this IPublishEndpoint bus, T message, CancellationToken cancellationToken) where T : class =>
        WhileBrokerIsAway.Retry(() => bus.Publish(message, cancellationToken), cancellationToken);
}
