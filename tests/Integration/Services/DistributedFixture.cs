using Microsoft.Extensions.Configuration;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Tests.Integration.Services;

[CollectionDefinition(Name)]
public sealed class DistributedCollection : ICollectionFixture<DistributedFixture>
{
    public const string Name = "Distributed";
}

/// <summary>Shared by the distributed tests: the broker and database server from the test environment, a working
/// directory every process of every test runs in (so <c>configs/smoke.json</c>'s relative base-policy and
/// checkpoint paths mean the same file to all of them, as a shared volume would), and a tiny base policy pretrained
/// there once with the smoke settings — a few steps are enough, the tests check plumbing, not accuracy.</summary>
public sealed class DistributedFixture : IAsyncLifetime
{
    public const string PostgresVariable = "PIPELINE_TEST_POSTGRES";
    public const string RabbitMqVariable = "PIPELINE_TEST_RABBITMQ";

    const int PretrainSteps = 5;

    public string WorkingDirectory { get; } = Directory.CreateTempSubdirectory("pipeline-distributed-").FullName;

    /// <summary>configs/smoke.json, copied beside the tests by the build.</summary>
    public string SmokeConfig { get; } = Path.Combine(AppContext.BaseDirectory, "configs", "smoke.json");

    public RunOptions SmokeRun { get; private set; } = null!;

    public string PostgresServer { get; private set; } = "";

    public Uri RabbitMq { get; private set; } = null!;

    public static string Dll(string name) => Path.Combine(AppContext.BaseDirectory, name + ".dll");

    public async Task InitializeAsync()
    {
        PostgresServer = Require(PostgresVariable, "a connection string of a PostgreSQL user who may create databases");
        RabbitMq = new Uri(Require(RabbitMqVariable, "an amqp://user:password@host:port/vhost URI"));
        if (!File.Exists(SmokeConfig)) throw new FileNotFoundException($"{SmokeConfig} is missing: the test project copies configs/*.json beside itself");
        SmokeRun = new ConfigurationBuilder().AddJsonFile(SmokeConfig).Build().GetSection(RunOptions.Section).Get<RunOptions>()
            ?? throw new InvalidDataException($"{SmokeConfig} has no Run section");

        await using var pretrain = ObservedProcess.Start("pretrain", Dll("pipeline"),
            ["pretrain", "--config", SmokeConfig, "--set", $"Pretrain:Steps={PretrainSteps}"],
            new Dictionary<string, string>(), WorkingDirectory);
        int exitCode = await pretrain.WaitForExitAsync(TimeSpan.FromMinutes(5));
        if (exitCode != 0) throw new InvalidOperationException($"pipeline pretrain failed with exit code {exitCode}.\n{pretrain.Tail()}");
        if (!Checkpoint.Exists(Path.Combine(WorkingDirectory, SmokeRun.BasePolicy)))
            throw new InvalidOperationException($"pipeline pretrain wrote no checkpoint at Run:BasePolicy ({SmokeRun.BasePolicy}).\n{pretrain.Tail()}");
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(WorkingDirectory, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }

    static string Require(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set. The distributed tests need a real RabbitMQ and PostgreSQL: run them through " +
                $"infra/test.sh, or `eval \"$(infra/services.sh up)\"` first, or set {variable} to {what}.");
}
