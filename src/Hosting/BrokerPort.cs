using System.Net.Sockets;

namespace Pipeline.Hosting;

/// <summary>Whether the broker's TCP port accepts a connection within a limit: a command's fast check before it starts
/// a bus (MassTransit would retry for as long as it is let), and the bus watchdog's test that a broker which its bus
/// cannot use is in fact up.</summary>
public static class BrokerPort
{
    /// <returns>null when the port accepted a connection; otherwise why not: the <see cref="SocketException"/> (refused,
    /// no such host, unreachable network) or a <see cref="TimeoutException"/> when nothing answered within
    /// <paramref name="limit"/></returns>
    /// <exception cref="OperationCanceledException">when <paramref name="cancellation"/> is cancelled</exception>
    public static async Task<Exception?> ProbeAsync(string host, int port, TimeSpan limit, CancellationToken cancellation)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bounded.CancelAfter(limit);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, bounded.Token);
            return null;
        }
        catch (SocketException e)
        {
            return e;
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            return new TimeoutException($"no answer from {host}:{port} within {limit.TotalSeconds:0.#} s", e);
        }
    }
}
