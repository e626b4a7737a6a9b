using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pipeline.Data;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Services;

/// <summary>One test's deployment: a database of its own on the test PostgreSQL server, and the learner, rollout and
/// verifier executables started as separate OS processes, configured only through the environment exactly as in
/// production (<c>RabbitMq__*</c>, <c>Storage__*</c>, <c>PIPELINE_CONFIG</c>). The broker's vhost is shared; each
/// test's run has its own id. Disposing kills every process still running and drops the database.</summary>
public sealed class ServiceCluster : IAsyncDisposable
{
    readonly DistributedFixture _fixture;
    readonly ITestOutputHelper _output;
    readonly List<ObservedProcess> _processes = [];

    ServiceCluster(DistributedFixture fixture, ITestOutputHelper output, string database)
    {
        _fixture = fixture;
        _output = output;
        ConnectionString = database;
    }

    /// <summary>The test's database (Npgsql connection string).</summary>
    public string ConnectionString { get; }

    public static async Task<ServiceCluster> CreateAsync(DistributedFixture fixture, ITestOutputHelper output)
    {
        var database = new NpgsqlConnectionStringBuilder(fixture.PostgresServer) { Database = $"pipeline_dist_{Guid.NewGuid():N}" };
        await using (var server = new NpgsqlConnection(fixture.PostgresServer))
        {
            await server.OpenAsync();
            await using var create = server.CreateCommand();
            // Created up front so that the learner's Hangfire storage and its migrations find the same database.
            create.CommandText = $"CREATE DATABASE \"{database.Database}\"";
            await create.ExecuteNonQueryAsync();
        }
        return new ServiceCluster(fixture, output, database.ConnectionString);
    }

    /// <summary>What every process gets: the broker, the database (not given to rollout workers and verifiers,
    /// which must run without one), and quiet logs except for Pipeline's own lines and the host's "Application started".</summary>
    public IReadOnlyDictionary<string, string> Environment(bool database = true)
    {
        var broker = _fixture.RabbitMq;
        var user = broker.UserInfo.Split(':', 2);
        var vhost = Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/'));
        var environment = new Dictionary<string, string>
        {
            ["RabbitMq__Host"] = broker.Host,
            ["RabbitMq__Port"] = (broker.IsDefaultPort ? 5672 : broker.Port).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = vhost.Length == 0 ? "/" : vhost,
            ["RabbitMq__Username"] = Uri.UnescapeDataString(user[0]),
            ["RabbitMq__Password"] = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : "",
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = ConnectionString,
            ["Hangfire__ConnectionString"] = ConnectionString,
            ["PIPELINE_CONFIG"] = _fixture.SmokeConfig,
            // Two cores shared by five processes: one libtorch thread each.
            ["Rollout__TorchThreads"] = "1",
            ["Learner__TorchThreads"] = "1",
            ["Host__ShutdownSeconds"] = "5",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Pipeline"] = "Information",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        if (!database)
            foreach (var key in environment.Keys.Where(k => k.StartsWith("Storage__") || k.StartsWith("Hangfire__")).ToArray())
                environment.Remove(key);
        return environment;
    }

    public ObservedProcess StartLearner(IReadOnlyDictionary<string, string>? extra = null, string name = "learner") =>
        StartService(name, "Pipeline.Learner", database: true, extra);

    /// <summary>The smallest deployment — one learner, one rollout worker and one verifier — started and connected;
    /// returns the learner.</summary>
    public async Task<ObservedProcess> StartOneOfEachAsync()
    {
        var learner = StartLearner();
        await WaitUntilStartedAsync(learner, StartRollout("rollout"), StartVerifier("verifier"));
        return learner;
    }

    public ObservedProcess StartRollout(string name, IReadOnlyDictionary<string, string>? extra = null) =>
        StartService(name, "Pipeline.Rollout", database: false, extra);

    public ObservedProcess StartVerifier(string name) => StartService(name, "Pipeline.Verifier", database: false);

    ObservedProcess StartService(string name, string assembly, bool database, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>(Environment(database));
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) environment[key] = value;
        return Track(ObservedProcess.Start(name, DistributedFixture.Dll(assembly), [], environment, _fixture.WorkingDirectory));
    }

    ObservedProcess Track(ObservedProcess process)
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Every service has connected its bus and bound its queues (MassTransit waits for that before the host
    /// reports started; the learner has migrated the database before it starts at all).</summary>
    public static Task WaitUntilStartedAsync(params ObservedProcess[] services) =>
        Task.WhenAll(services.Select(s => s.WaitForAsync(
            l => l.Category == "Microsoft.Hosting.Lifetime" && l.Message?.StartsWith("Application started", StringComparison.Ordinal) == true,
            "\"Application started\"", TimeSpan.FromMinutes(3))));

    /// <summary>Starts <c>pipeline train --config configs/smoke.json --wait --json …</c> as a process.</summary>
    public ObservedProcess StartTrain(string jsonPath, params string[] extra) =>
        Track(ObservedProcess.Start("pipeline train", DistributedFixture.Dll("pipeline"),
            ["train", "--config", _fixture.SmokeConfig, "--wait", "--timeout", "8", "--json", jsonPath, .. extra],
            Environment(), _fixture.WorkingDirectory));

    /// <summary>Runs <c>pipeline runs show ID --json …</c> against the test's database and returns its JSON.</summary>
    public async Task<JsonElement> ShowRunAsync(Guid runId)
    {
        var jsonPath = Path.Combine(_fixture.WorkingDirectory, $"show-{Guid.NewGuid():N}.json");
        var show = Track(ObservedProcess.Start("pipeline runs show", DistributedFixture.Dll("pipeline"),
            ["runs", "show", runId.ToString(), "--json", jsonPath], Environment(), _fixture.WorkingDirectory));
        int exitCode = await show.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, $"pipeline runs show exited with {exitCode}.\n{show.Tail()}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath));
        return json.RootElement.Clone();
    }

    /// <summary>Waits for <c>pipeline train --wait</c> and returns its JSON result; fails with every process's
    /// recent output when it does not succeed.</summary>
    public async Task<JsonElement> FinishTrainAsync(ObservedProcess train, string jsonPath)
    {
        int exitCode = await train.WaitForExitAsync(TimeSpan.FromMinutes(9));
        Assert.True(exitCode == 0, $"pipeline train --wait exited with {exitCode}.\n{Tails()}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath));
        return json.RootElement.Clone();
    }

    /// <summary>The test's database through the project's own stores.</summary>
    public ServiceProvider Storage()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = ConnectionString,
        }).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddPipelineData(configuration).BuildServiceProvider();
    }

    public string Tails() => string.Join("\n", _processes.Select(p => p.Tail()));

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        foreach (var process in _processes)
        {
            try { await process.DisposeAsync(); }
            catch (Exception e) { failures.Add(e); } // keep killing the others
            _output.WriteLine(process.Tail(25));
        }
        NpgsqlConnection.ClearAllPools();
        await Data.PostgresTestDatabase.DropAsync(ConnectionString);
        if (failures.Count > 0) throw new AggregateException("could not stop every service process", failures);
    }
}
