using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Tests.Integration.Services;

/// <summary><c>infra/services.sh env SERVICE</c> gives each service a broker user of its own, none an administrator,
/// and the database to the learner only.</summary>
[Collection(DistributedCollection.Name)]
public sealed class ServiceIdentityTests
{
    static async Task<Dictionary<string, string>> ExportsAsync(string service)
    {
        var exports = new Dictionary<string, string>();
        foreach (var line in (await LocalServices.RunAsync("env", service)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("export ", StringComparison.Ordinal)) continue;
            var (name, quoted) = (line[7..line.IndexOf('=')], line[(line.IndexOf('=') + 1)..]);
            exports[name] = quoted.Trim('\'');
        }
        return exports;
    }

    static ConnectionFactory Factory(IReadOnlyDictionary<string, string> exports, string? password = null) => new()
    {
        HostName = exports["RabbitMq__Host"],
        Port = int.Parse(exports["RabbitMq__Port"], System.Globalization.CultureInfo.InvariantCulture),
        VirtualHost = exports["RabbitMq__VirtualHost"],
        UserName = exports["RabbitMq__Username"],
        Password = password ?? exports["RabbitMq__Password"],
    };

    [Theory]
    [InlineData("learner")]
    [InlineData("rollout")]
    [InlineData("verifier")]
    public async Task Each_service_has_a_broker_user_of_its_own_that_can_declare_and_use_queues(string service)
    {
        var exports = await ExportsAsync(service);
        Assert.Equal(service, exports["RabbitMq__Username"]);

        await using var connection = await Factory(exports).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclareAsync($"identity-test-{service}-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true);
        await channel.BasicPublishAsync("", queue.QueueName, "hello"u8.ToArray());
        var got = await channel.BasicGetAsync(queue.QueueName, autoAck: true);
        Assert.NotNull(got);
    }

    [Fact]
    public async Task A_service_password_does_not_open_another_services_user()
    {
        var rollout = await ExportsAsync("rollout");
        var learner = await ExportsAsync("learner");
        Assert.NotEqual(rollout["RabbitMq__Password"], learner["RabbitMq__Password"]);
        await Assert.ThrowsAnyAsync<BrokerUnreachableException>(() => Factory(learner, rollout["RabbitMq__Password"]).CreateConnectionAsync());
    }

    [Fact]
    public async Task Only_the_learner_gets_the_database()
    {
        Assert.StartsWith("Host=", (await ExportsAsync("learner"))["Storage__ConnectionString"]);
        foreach (var service in new[] { "rollout", "verifier" })
        {
            var output = await LocalServices.RunAsync("env", service);
            Assert.DoesNotContain("Storage__ConnectionString=", output);
            Assert.Contains("unset Storage__Provider Storage__ConnectionString Hangfire__ConnectionString", output);
        }
    }

    [Fact]
    public async Task No_broker_user_is_an_administrator()
    {
        var users = (await LocalServices.RunAsync("rabbitmqctl", "list_users", "--silent"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(users, line => line.StartsWith("rollout\t", StringComparison.Ordinal));
        Assert.DoesNotContain(users, line => line.Contains("administrator", StringComparison.Ordinal));
    }
}
