using System.Net;
using System.Net.Sockets;
using Pipeline.Hosting;

namespace Pipeline.Tests.Unit.Hosting;

public class BrokerPortTests
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_listening_port_answers()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        var failure = await BrokerPort.ProbeAsync("127.0.0.1", Port(listener), Limit, CancellationToken.None);

        Assert.Null(failure);
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = Port(listener);
        }

        var failure = await BrokerPort.ProbeAsync("127.0.0.1", port, Limit, CancellationToken.None);

        var refused = Assert.IsType<SocketException>(failure);
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_port_whose_queue_is_full_times_out_within_the_limit()
    {
        // A listener that never accepts: each probe's connection stays in its queue (closed by the probe, never taken),
        // and once the backlog is full the kernel drops further attempts unanswered.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        Exception? failure = null;
        for (int i = 0; i < 8 && failure is null; i++)
            failure = await BrokerPort.ProbeAsync("127.0.0.1", Port(listener), Limit, CancellationToken.None);

        var timeout = Assert.IsType<TimeoutException>(failure);
        Assert.Contains("within 1 s", timeout.Message);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            BrokerPort.ProbeAsync("127.0.0.1", Port(listener), Limit, cancelled.Token));
    }

    static int Port(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
