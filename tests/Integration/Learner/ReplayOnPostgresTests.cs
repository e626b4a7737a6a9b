using System.Text.Json;
using Pipeline.Tests.Integration.Data;
using Pipeline.Tests.Integration.Services;

namespace Pipeline.Tests.Integration.Learner;

/// <summary><c>pipeline replay train</c> with the run database on PostgreSQL: the same tiny embedded run as the
/// end-to-end test (configs/tiny.json), stored in a fresh PostgreSQL database, replayed bit for bit.</summary>
public sealed class ReplayOnPostgresTests : IAsyncLifetime
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    static readonly string Config = Path.Combine(AppContext.BaseDirectory, "configs", "tiny.json");
    readonly string _connectionString = PostgresTestDatabase.NewDatabase();
    readonly string _directory = Directory.CreateTempSubdirectory("pipeline-replay-pg-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await PostgresTestDatabase.DropAsync(_connectionString);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_run_stored_in_postgres_replays_bit_for_bit()
    {
        await PipelineAsync("pretrain", "--config", Config);
        await PipelineAsync("train", "--config", Config, "--json", "train.json");
        using var train = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "train.json")));
        var source = train.RootElement.GetProperty("run_id").GetString()!;

        await PipelineAsync("replay", "train", source, "--json", "replay.json");

        using var replay = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "replay.json")));
        Assert.True(replay.RootElement.GetProperty("identical").GetBoolean(), replay.RootElement.ToString());
        Assert.Equal(7, replay.RootElement.GetProperty("versions").GetArrayLength());
    }

    async Task PipelineAsync(params string[] arguments)
    {
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = _connectionString,
            ["Hangfire__ConnectionString"] = _connectionString,
            // Embedded: every service in the one process, whatever broker the test command started.
            ["RabbitMq__Host"] = "",
        };
        await using var process = ObservedProcess.Start($"pipeline {arguments[0]}", DistributedFixture.Dll("pipeline"), arguments, environment, _directory);
        int exitCode = await process.WaitForExitAsync(Limit);
        Assert.True(exitCode == 0, $"pipeline {string.Join(' ', arguments)} exited with {exitCode}\n{process.Tail()}");
    }
}
