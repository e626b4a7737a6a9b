using Npgsql;
using Pipeline.Tests.Integration.Services;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Learner;

/// <summary>One learner per run, and a standby that takes over: two learner processes share the broker and the
/// database; only the one holding the run's lease trains it (the other stores the groups it happens to receive, which
/// the holder counts from the database); SIGKILL the holder and the standby takes the run over once the lease has run
/// out. The run completes with nothing lost and nothing trained twice.</summary>
[Collection(DistributedCollection.Name)]
public sealed class LearnerFailoverTests(DistributedFixture fixture, ITestOutputHelper output)
{
    static readonly Dictionary<string, string> ShortLease = new() { ["Learner__LeaseSeconds"] = "4" };

    [Fact]
    public async Task Of_two_learners_one_trains_and_the_other_takes_over_when_it_is_killed()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var a = cluster.StartLearner(ShortLease, "learner-a");
        var b = cluster.StartLearner(ShortLease, "learner-b");
        var worker = cluster.StartRollout("rollout");
        var verifier = cluster.StartVerifier("verifier");
        await ServiceCluster.WaitUntilStartedAsync(a, b, worker, verifier);

        var json = Path.Combine(fixture.WorkingDirectory, $"train-{Guid.NewGuid():N}.json");
        var train = cluster.StartTrain(json);
        bool IsVersion2(LogLine l) => l.Is("run {RunId} step {Step}") && l.Int("Version") == 2;
        var first = await Task.WhenAny(a.WaitForAsync(IsVersion2, "version 2", TimeSpan.FromMinutes(8)), b.WaitForAsync(IsVersion2, "version 2", TimeSpan.FromMinutes(8)));
        var runId = (await first).Guid("RunId");
        var holder = await LeaseOwnerAsync(cluster, runId);
        var (trainer, standby) = holder.Contains($":{a.Id}:", StringComparison.Ordinal) ? (a, b) : (b, a);
        Assert.Contains($":{trainer.Id}:", holder, StringComparison.Ordinal);
        Assert.DoesNotContain(standby.Lines, l => l.Is("run {RunId} step {Step}"));

        trainer.KillNow();
        await trainer.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await standby.WaitForAsync(l => l.Is("Run {RunId} ({Name}) resumed"), "a \"resumed\" line", TimeSpan.FromMinutes(2));
        var result = await cluster.FinishTrainAsync(train, json);
        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.Contains($":{standby.Id}:", await LeaseOwnerAsync(cluster, runId), StringComparison.Ordinal);

        var run = await StoredRun.ReadAsync(cluster, runId);
        run.AssertEveryGroupStoredExactlyOnce();
        run.AssertEveryBatchConsumedExactlyOnce();
        run.AssertVersionsMatchTheirCheckpoints(atLeast: 5);
        output.WriteLine($"learner {trainer.Name} trained up to its kill, {standby.Name} finished run {runId}: {run.Versions.Count - 1} versions");
    }

    static async Task<string> LeaseOwnerAsync(ServiceCluster cluster, Guid runId)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT lease_owner FROM runs WHERE id = @id";
        query.Parameters.AddWithValue("id", runId);
        return await query.ExecuteScalarAsync() as string ?? "";
    }
}
