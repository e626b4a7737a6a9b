using Pipeline.Tests.Integration.Services;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Learner;

/// <summary>The broker or the database stops for a few seconds in the middle of a run and starts again: the services
/// reconnect and retry, and the run completes with nothing lost and nothing trained twice.</summary>
[Collection(ServerRestartCollection.Name)]
public sealed class ServerRestartTests(DistributedFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("rabbitmq", 5)]
    [InlineData("postgres", 3)]
    public async Task A_run_completes_when_a_server_restarts_in_the_middle_of_it(string server, double downSeconds)
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var learner = await cluster.StartOneOfEachAsync();

        var json = Path.Combine(fixture.WorkingDirectory, $"train-{Guid.NewGuid():N}.json");
        var train = cluster.StartTrain(json);
        var version2 = await learner.WaitForAsync(l => l.Is("run {RunId} step {Step}") && l.Int("Version") == 2, "version 2", TimeSpan.FromMinutes(8));
        await LocalServices.RestartAsync(server, downSeconds);

        var result = await cluster.FinishTrainAsync(train, json);
        Assert.Equal("completed", result.GetProperty("status").GetString());
        var run = await StoredRun.ReadAsync(cluster, version2.Guid("RunId"));
        run.AssertEveryGroupStoredExactlyOnce();
        run.AssertEveryBatchConsumedExactlyOnce();
        run.AssertVersionsMatchTheirCheckpoints(atLeast: 5);
        output.WriteLine($"{server} down {downSeconds} s after version 2: {run.Versions.Count - 1} versions, duplicates ignored {run.Summary.DuplicatesIgnored}");
    }
}
