using MassTransit;
using MassTransit.RetryPolicies;

namespace Pipeline.Hosting;

/// <summary>Sends and publishes that must not be lost while the broker is away (a restart, a network blip): the learner's
/// next batch and its version announcements. MassTransit reconnects by itself; these retries wait for it, with
/// exponential back-off, for about two and a half minutes before the failure reaches the caller.
/// <para>Each try is bounded (<see cref="AttemptTimeout"/>): a publish whose connection the broker closed while it waited
/// for the broker's confirmation has been seen to wait for ever (RabbitMQ.Client 7 under MassTransit 8.5; one learner in
/// about 25 broker restarts sat in its step record for minutes, its next batch never sent). A try that runs out is
/// abandoned and retried on the new connection; the message may then arrive twice, which its consumers tolerate (a
/// batch's groups and a version are stored once).</para></summary>
public static class BusRetry
{
    /// <summary>How long one send or publish may take before it is abandoned and tried again.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    static readonly IRetryPolicy WhileBrokerIsAway =
        Retry.Exponential(12, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(1));

    public static Task SendWithRetry<T>(this ISendEndpointProvider endpoints, Uri address, T message, CancellationToken cancellationToken)
        where T : class =>
        WhileBrokerIsAway.Retry(() => Bounded(async attempt =>
        {
            var endpoint = await endpoints.GetSendEndpoint(address);
            await endpoint.Send(message, attempt);
        }, AttemptTimeout, cancellationToken), cancellationToken);

    public static Task PublishWithRetry<T>(this IPublishEndpoint bus, T message, CancellationToken cancellationToken) where T : class =>
        WhileBrokerIsAway.Retry(() => Bounded(attempt => bus.Publish(message, attempt), AttemptTimeout, cancellationToken), cancellationToken);

    /// <summary>One try of <paramref name="work"/>, given a token that is cancelled after <paramref name="timeout"/> and
    /// abandoned then even if it does not heed the token: a <see cref="TimeoutException"/>, which the retry policy
    /// retries. The caller's own cancellation still ends it as a cancellation.</summary>
    public static async Task Bounded(Func<CancellationToken, Task> work, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            await work(attempt.Token).WaitAsync(timeout, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the broker did not take the message within {timeout.TotalSeconds:0.#} s", e);
        }
    }
}
