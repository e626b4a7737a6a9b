using System.Text.Json;
using Pipeline.Tests.Integration.Services;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Cli;

/// <summary>Training with the learner, rollout workers and verifiers as separate OS processes on RabbitMQ and
/// PostgreSQL, driven by <c>pipeline train --config configs/smoke.json --wait</c> like a user would.
///
/// Which worker did which batch comes from the workers' own logs: each rollout worker logs "Sampling batch …" when
/// it takes a GenerateRollouts command and "Published N groups of batch …" once the groups are out, both naming the
/// worker. A log line needs no change to the wire contract or the schema, it is what an operator would read to
/// answer the same question, and the test reads each process's standard output separately, so a line's worker is
/// known from the process that wrote it (and checked against the worker id the line names). The smoke run keeps one
/// batch in flight and each worker takes one command at a time (prefetch 1), so RabbitMQ's round-robin hands
/// consecutive batches to both workers.</summary>
[Collection(DistributedCollection.Name)]
public sealed class DistributedTrainingTests(DistributedFixture fixture, ITestOutputHelper output)
{
    const string SamplingLine = "Sampling batch ";
    const string PublishedLine = "Published {Groups} groups of batch ";

    [Fact]
    public async Task Separate_services_finish_the_smoke_run_with_every_group_stored_once_and_both_workers_sampling()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var learner = cluster.StartLearner();
        ObservedProcess[] workers = [cluster.StartRollout("rollout-1"), cluster.StartRollout("rollout-2")];
        ObservedProcess[] verifiers = [cluster.StartVerifier("verifier-1"), cluster.StartVerifier("verifier-2")];
        await ServiceCluster.WaitUntilStartedAsync([learner, .. workers, .. verifiers]);

        var json = JsonPath();
        var result = await cluster.FinishTrainAsync(cluster.StartTrain(json), json);
        var runId = result.GetProperty("run_id").GetGuid();
        Assert.Equal("completed", result.GetProperty("status").GetString());

        var run = await StoredRun.ReadAsync(cluster, runId);
        Assert.Equal(fixture.SmokeRun.Steps, run.Config.Run.Steps);
        Assert.Equal(fixture.SmokeRun.PromptsPerBatch, run.Config.Run.PromptsPerBatch);
        run.AssertEveryGroupStoredExactlyOnce();
        Assert.Equal(0, run.Summary.DuplicatesIgnored); // nothing failed, so nothing was redelivered
        run.AssertVersionsMatchTheirCheckpoints(atLeast: 5);
        Assert.Equal(run.Versions.Count - 1, result.GetProperty("policy_versions").GetInt32());
        var shown = await cluster.ShowRunAsync(runId);
        Assert.Equal("completed", shown.GetProperty("status").GetString());
        Assert.Equal(run.Groups.Count, shown.GetProperty("groups_scored").GetInt32());
        Assert.Equal(run.Versions.Count - 1, shown.GetProperty("final").GetProperty("policy_version").GetInt32());

        var published = workers.ToDictionary(w => w.Name, w => PublishedBatches(w, runId, run.Config.Run.PromptsPerBatch));
        output.WriteLine($"run {runId}: {run.Versions.Count - 1} versions; {Describe(published)}");
        foreach (var (worker, batches) in published)
            Assert.True(batches.Count > 0, $"{worker} published no batch of run {runId}: {Describe(published)}\n{cluster.Tails()}");
        Assert.Equal(Enumerable.Range(0, run.Config.Run.Steps), published.Values.SelectMany(b => b).Order());
    }

    [Fact]
    public async Task A_rollout_worker_killed_mid_batch_loses_nothing_because_its_batch_is_redelivered_to_the_other()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var learner = cluster.StartLearner();
        var victim = cluster.StartRollout("rollout-victim");
        var survivor = cluster.StartRollout("rollout-survivor");
        var verifier = cluster.StartVerifier("verifier");
        await ServiceCluster.WaitUntilStartedAsync(learner, victim, survivor, verifier);

        // SIGKILL the moment the victim says it has started sampling a batch: it dies holding an unacknowledged
        // GenerateRollouts and having published none of that batch's groups.
        var killed = victim.KillOnAsync(l => l.Is(SamplingLine), "a \"Sampling batch\" line", TimeSpan.FromMinutes(9));
        var json = JsonPath();
        var train = cluster.StartTrain(json);
        var trainExit = train.WaitForExitAsync(TimeSpan.FromMinutes(9));
        if (await Task.WhenAny(killed, trainExit) != killed)
            Assert.Fail($"the run ended before {victim.Name} sampled anything, so nothing was killed mid-batch.\n{cluster.Tails()}");
        var killedAt = await killed;
        var result = await cluster.FinishTrainAsync(train, json);
        var runId = result.GetProperty("run_id").GetGuid();
        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.True(victim.HasExited, $"{victim.Name} still runs after SIGKILL");

        int batch = killedAt.Int("BatchId");
        Assert.Equal(runId, killedAt.Guid("RunId"));
        Assert.DoesNotContain(batch, PublishedBatches(victim, runId, fixture.SmokeRun.PromptsPerBatch));
        Assert.Contains(batch, PublishedBatches(survivor, runId, fixture.SmokeRun.PromptsPerBatch));

        var stored = await StoredRun.ReadAsync(cluster, runId);
        stored.AssertEveryGroupStoredExactlyOnce();
        stored.AssertVersionsMatchTheirCheckpoints(atLeast: 5);
        output.WriteLine($"killed {victim.Name} while it sampled batch {batch}; duplicates ignored: {stored.Summary.DuplicatesIgnored}");
    }

    string JsonPath() => Path.Combine(fixture.WorkingDirectory, $"train-{Guid.NewGuid():N}.json");

    /// <summary>The batches of <paramref name="runId"/> this worker logged as published (each line must name this
    /// worker's process and carry <paramref name="expectedGroups"/> groups).</summary>
    static List<int> PublishedBatches(ObservedProcess worker, Guid runId, int expectedGroups)
    {
        var lines = worker.Lines.Where(l => l.Is(PublishedLine) && l.Guid("RunId") == runId).ToList();
        foreach (var line in lines)
        {
            Assert.EndsWith($"-{worker.Id}", line.State["Worker"]);
            Assert.Equal(expectedGroups, line.Int("Groups"));
        }
        return lines.Select(l => l.Int("BatchId")).ToList();
    }

    static string Describe(Dictionary<string, List<int>> published) =>
        string.Join("; ", published.Select(p => $"{p.Key}: batches [{string.Join(", ", p.Value)}]"));
}
