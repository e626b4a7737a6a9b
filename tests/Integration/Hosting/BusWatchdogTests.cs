using Pipeline.Hosting;
using Pipeline.Tests.Integration.Services;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Hosting;

/// <summary>A service whose bus cannot come back while the broker answers stops, with the reason, for its supervisor
/// to start it afresh. Here the broker refuses the service's user (deleted while the service runs, which closes its
/// connections): every reconnection fails while the broker's port accepts connections — what a bus whose receive
/// endpoints never come back after broker restarts looks like from outside.</summary>
[Collection(ServerRestartCollection.Name)]
public sealed class BusWatchdogTests(DistributedFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_service_whose_bus_stays_unhealthy_while_the_broker_answers_stops_for_its_supervisor()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        string user = $"watchdog-{Guid.NewGuid():N}", password = Guid.NewGuid().ToString("N");
        string vhost = cluster.Environment()["RabbitMq__VirtualHost"];
        await LocalServices.RunAsync("rabbitmqctl", "add_user", user, password);
        bool deleted = false;
        try
        {
            await LocalServices.RunAsync("rabbitmqctl", "set_permissions", "-p", vhost, user, ".*", ".*", ".*");
            var rollout = cluster.StartRollout("rollout", new Dictionary<string, string>
            {
                ["RabbitMq__Username"] = user,
                ["RabbitMq__Password"] = password,
                ["Host__BusStuckMinutes"] = "0.1",
                ["Host__CheckSeconds"] = "1",
            });
            await ServiceCluster.WaitUntilStartedAsync(rollout);
            // Healthy and connected: the watchdog leaves it alone for longer than its limit.
            await Task.Delay(TimeSpan.FromSeconds(10));
            Assert.False(rollout.HasExited, $"the rollout worker stopped while its bus was healthy.\n{rollout.Tail()}");

            await LocalServices.RunAsync("rabbitmqctl", "delete_user", user);
            deleted = true;
            int exitCode = await rollout.WaitForExitAsync(TimeSpan.FromMinutes(2));

            Assert.True(exitCode == BusWatchdog.ExitCode, $"exit code {exitCode}, not {BusWatchdog.ExitCode}.\n{rollout.Tail()}");
            var stuck = Assert.Single(rollout.Lines, l => l.Category == typeof(BusWatchdog).FullName);
            Assert.Contains("\"LogLevel\":\"Critical\"", stuck.Text);
            Assert.Contains("accepts connections", stuck.Message);
            Assert.Contains("Host:BusStuckMinutes", stuck.Message);
        }
        finally
        {
            if (!deleted) await LocalServices.RunAsync("rabbitmqctl", "delete_user", user);
        }
    }
}
