using System.Text;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Tests.Integration.Services;

/// <summary>The test's own access to the broker: a MassTransit harness that talks to it as another service would,
/// and RabbitMQ.Client for looking into queues.</summary>
public static class BrokerProbe
{
    /// <summary>A MassTransit test harness on the broker, set up by the services' own transport code and the same
    /// environment settings; <paramref name="consumers"/> adds the test's probes.</summary>
    public static ServiceProvider Harness(ServiceCluster cluster, Action<IBusRegistrationConfigurator> consumers)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(cluster.Environment().Select(e => KeyValuePair.Create(e.Key.Replace("__", ":"), (string?)e.Value)))
            .Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddMassTransitTestHarness(bus =>
            {
                // The probe waits on another process: generous limits, and no "inactive" verdict while it works.
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(3), testInactivityTimeout: TimeSpan.FromMinutes(3));
                consumers(bus);
                bus.UsePipelineTransport(configuration);
            })
            .BuildServiceProvider(validateScopes: true);
    }

    public static async Task PublishRawAsync(IConnection connection, string exchange, string body)
    {
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = Guid.NewGuid().ToString(),
        };
        await channel.BasicPublishAsync(exchange, routingKey: "", mandatory: false, properties, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Removes from <paramref name="queue"/> the messages whose body contains one of
    /// <paramref name="markers"/> and returns the markers found, looking again until all are found or
    /// <paramref name="limit"/> passes. Other messages are left where they are (unacknowledged, so the broker
    /// requeues them when the channel closes).</summary>
    public static async Task<List<string>> TakeAllAsync(IConnection connection, string queue, IReadOnlyCollection<string> markers, TimeSpan limit)
    {
        var found = new List<string>();
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            await using (var channel = await connection.CreateChannelAsync())
            {
                try
                {
                    await channel.QueueDeclarePassiveAsync(queue);
                    while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
                    {
                        var body = Encoding.UTF8.GetString(message.Body.Span);
                        var marker = markers.FirstOrDefault(m => body.Contains(m, StringComparison.Ordinal) && !found.Contains(m));
                        if (marker is null) continue;
                        await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
                        found.Add(marker);
                    }
                }
                catch (OperationInterruptedException) { } // the queue does not exist (yet)
            }
            if (found.Count == markers.Count || DateTime.UtcNow >= deadline) return found;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
