using System.Text.Json;
using Pipeline.Tests.Integration.Services;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Cli;

/// <summary><c>pipeline chaos</c> as a user runs it against the test's broker and database: it starts its own
/// service processes, injects a one-minute seeded fault schedule (kills, a paused worker, broker and database
/// restarts through infra/services.sh) and checks the run from the database and the broker. It restarts the shared
/// servers, so it runs in the collection that runs alone.</summary>
[Collection(ServerRestartCollection.Name)]
public sealed class ChaosCommandTests(DistributedFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_one_minute_chaos_run_passes_with_its_faults_listed_and_no_group_lost()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var json = Path.Combine(fixture.WorkingDirectory, $"chaos-{Guid.NewGuid():N}.json");
        var config = Path.Combine(AppContext.BaseDirectory, "configs", "chaos.json");
        var logs = Path.Combine(fixture.WorkingDirectory, $"chaos-logs-{Guid.NewGuid():N}");
        await using var chaos = ObservedProcess.Start("pipeline chaos", DistributedFixture.Dll("pipeline"),
            ["chaos", "--config", config, "--minutes", "1", "--seed", "1", "--json", json,
                "--set", "Run:Steps=16", "--set", $"Run:BasePolicy={fixture.SmokeRun.BasePolicy}",
                "--set", $"Run:CheckpointDirectory=chaos-{Guid.NewGuid():N}",
                "--logs", logs],
            cluster.Environment(), fixture.WorkingDirectory);

        int exitCode = await chaos.WaitForExitAsync(TimeSpan.FromMinutes(25));
        output.WriteLine(chaos.Tail(80));
        Assert.True(File.Exists(json), $"pipeline chaos wrote no JSON (exit code {exitCode}).\n{chaos.Tail()}");
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = report.RootElement;

        Assert.True(root.GetProperty("passed").GetBoolean(), $"{root}\n{chaos.Tail()}\n{ServiceErrors(logs)}");
        Assert.Equal(0, exitCode);
        Assert.Equal(1, root.GetProperty("seed").GetInt32());
        Assert.Equal("completed", root.GetProperty("status").GetString());
        var kinds = root.GetProperty("faults").EnumerateArray().Select(f => f.GetProperty("kind").GetString()).ToArray();
        Assert.Contains("kill", kinds);
        Assert.All(root.GetProperty("faults").EnumerateArray(), f => Assert.False(string.IsNullOrEmpty(f.GetProperty("target").GetString())));
        Assert.Equal(0, root.GetProperty("groups_lost").GetInt32());
        Assert.Equal(0, root.GetProperty("groups_trained_twice").GetInt32());
        Assert.Equal(16 * 8, root.GetProperty("groups_expected").GetInt32());
        Assert.Equal(root.GetProperty("groups_expected").GetInt32(), root.GetProperty("groups_stored").GetInt32());
        Assert.True(root.GetProperty("versions_in_order").GetBoolean());
        Assert.Equal(0, root.GetProperty("error_queue_messages").GetInt64());
        Assert.True(root.GetProperty("replay_identical").GetBoolean());
        Assert.Equal(
            ["seed", "faults", "status", "groups_expected", "groups_stored", "groups_trained_twice", "groups_lost", "versions",
                "versions_in_order", "error_queue_messages", "replay_identical", "passed"],
            root.EnumerateObject().Select(p => p.Name));
    }

    /// <summary>The services' error lines, each cut to 500 characters (the working directory, and the logs with it, are
    /// gone after the tests; the broker's restart makes every service warn, so warnings are left out).</summary>
    static string ServiceErrors(string logs) => !Directory.Exists(logs) ? "" : string.Join('\n',
        Directory.EnumerateFiles(logs, "*", SearchOption.AllDirectories).Order().SelectMany(file => File.ReadLines(file)
            .Where(line => line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal)
                || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal))
            .Take(10).Select(line => $"{Path.GetFileName(file)}: {(line.Length > 500 ? line[..500] + "…" : line)}")));
}
