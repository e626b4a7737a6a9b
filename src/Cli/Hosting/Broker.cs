using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;

namespace Pipeline.Cli.Hosting;

/// <summary>Reaching the configured RabbitMQ broker from a command, boundedly: MassTransit retries a connection
/// for as long as it is let, so a command first checks that the broker's port answers, then gives the bus
/// <c>RabbitMq:ConnectTimeoutSeconds</c> (default 30) to start and send, and otherwise stops with one sentence.</summary>
public static class Broker
{
    public const string TimeoutSetting = "RabbitMq:ConnectTimeoutSeconds";
    const double DefaultTimeoutSeconds = 30;

    public static (string Host, int Port) Endpoint(IConfiguration? configuration)
    {
        var host = configuration?["RabbitMq:Host"];
        int port = int.TryParse(configuration?["RabbitMq:Port"], out var p) ? p : 5672;
        return (string.IsNullOrWhiteSpace(host) ? "(RabbitMq:Host not set)" : host, port);
    }

    public static TimeSpan ConnectTimeout(IConfiguration configuration)
    {
        var text = configuration[TimeoutSetting];
        if (text is null) return TimeSpan.FromSeconds(DefaultTimeoutSeconds);
        if (!double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || !(seconds is > 0 and <= 3600))
            throw new ArgumentException($"{TimeoutSetting} must be a number of seconds in (0, 3600], not '{text}'");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The one sentence for a broker that cannot be reached.</summary>
    public static string Unreachable(IConfiguration? configuration, string detail)
    {
        var (host, port) = Endpoint(configuration);
        return $"the message broker at {host}:{port} (RabbitMq:Host, RabbitMq:Port) could not be reached: {detail}; is RabbitMQ running there?";
    }

    /// <summary>Runs <paramref name="start"/> (which starts a bus on the configured broker and uses it) within the
    /// connect timeout, after checking that the broker's port accepts connections.</summary>
    public static async Task<T> ConnectAsync<T>(CommandContext context, Func<CancellationToken, Task<T>> start)
    {
        var configuration = context.Configuration;
        var timeout = await EnsureReachableAsync(context);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
        limit.CancelAfter(timeout);
        try
        {
            // WaitAsync as well as the token: a bus that never connected may not honour cancellation promptly.
            return await start(limit.Token).WaitAsync(timeout + TimeSpan.FromSeconds(5), context.Cancellation);
        }
        catch (Exception e) when (!context.Cancellation.IsCancellationRequested && e is OperationCanceledException or TimeoutException)
        {
            throw new CommandFailedException(Unreachable(configuration, $"the bus did not start within {timeout.TotalSeconds:0.#} s ({TimeoutSetting})"),
                ExitCodes.Failed, e);
        }
    }

    /// <summary>Validates the RabbitMq settings and fails in one sentence, fast, when nothing listens at RabbitMq:Host
    /// and RabbitMq:Port; returns the connect timeout.</summary>
    public static async Task<TimeSpan> EnsureReachableAsync(CommandContext context)
    {
        var configuration = context.Configuration;
        OptionsBinding.Bind<RabbitMqOptions>(configuration, RabbitMqOptions.Section);
        var timeout = ConnectTimeout(configuration);
        var (host, port) = Endpoint(configuration);
        var failure = await BrokerPort.ProbeAsync(host, port, timeout, context.Cancellation);
        if (failure is not null)
            throw new CommandFailedException(Unreachable(configuration, failure is TimeoutException
                ? $"no answer within {timeout.TotalSeconds:0.#} s ({TimeoutSetting})"
                : failure.Message), ExitCodes.Failed, failure);
        return timeout;
    }
}
