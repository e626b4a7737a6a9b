using System.Text.Json;
using Pipeline.Tests.Integration.Services;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Learner;

/// <summary>A learner SIGKILLed mid-run and started again takes the run up from the database and the checkpoint
/// store: the run completes with every group stored once, every batch consumed once, versions 0…N each recorded
/// once with the hash of its checkpoint — and a replay of the stored record reproduces every version's hash, so the
/// resumed learner trained exactly what an uninterrupted one would have.</summary>
[Collection(DistributedCollection.Name)]
public sealed class LearnerResumeTests(DistributedFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_learner_killed_after_version_2_and_restarted_completes_the_run_with_nothing_lost_or_trained_twice()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var first = await cluster.StartOneOfEachAsync();

        var killed = first.KillOnAsync(l => l.Is("run {RunId} step {Step}") && l.Int("Version") == 2,
            "the step line of version 2", TimeSpan.FromMinutes(9));
        var json = Path.Combine(fixture.WorkingDirectory, $"train-{Guid.NewGuid():N}.json");
        var train = cluster.StartTrain(json);
        var trainExit = train.WaitForExitAsync(TimeSpan.FromMinutes(9));
        if (await Task.WhenAny(killed, trainExit) != killed)
            Assert.Fail($"the run ended before the learner reached version 2.\n{cluster.Tails()}");
        var killedAt = await killed;
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var second = cluster.StartLearner();
        await second.WaitForAsync(l => l.Is("Run {RunId} ({Name}) resumed"), "a \"resumed\" line", TimeSpan.FromMinutes(3));
        var result = await cluster.FinishTrainAsync(train, json);
        var runId = result.GetProperty("run_id").GetGuid();
        Assert.Equal(runId, killedAt.Guid("RunId"));
        Assert.Equal("completed", result.GetProperty("status").GetString());

        var run = await StoredRun.ReadAsync(cluster, runId);
        run.AssertEveryGroupStoredExactlyOnce();
        run.AssertEveryBatchConsumedExactlyOnce();
        run.AssertVersionsMatchTheirCheckpoints(atLeast: 5);
        output.WriteLine($"killed the learner at version 2 of run {runId}; {run.Versions.Count - 1} versions, duplicates ignored {run.Summary.DuplicatesIgnored}");

        var replayJson = Path.Combine(fixture.WorkingDirectory, $"replay-{Guid.NewGuid():N}.json");
        await using var replay = ObservedProcess.Start("pipeline replay", DistributedFixture.Dll("pipeline"),
            ["replay", "train", runId.ToString(), "--set", "Learner:TorchThreads=1", "--json", replayJson],
            cluster.Environment(), fixture.WorkingDirectory);
        Assert.True(await replay.WaitForExitAsync(TimeSpan.FromMinutes(5)) == 0, replay.Tail());
        using var replayed = JsonDocument.Parse(await File.ReadAllTextAsync(replayJson));
        Assert.True(replayed.RootElement.GetProperty("identical").GetBoolean(), replayed.RootElement.ToString());
    }
}
