using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Tests.Integration.Services;

/// <summary>What the run database holds about one finished run, read through the project's stores, with the
/// checks every distributed test makes of it.</summary>
public sealed record StoredRun(RunSummary Summary, RunSettings Config, IReadOnlyList<PolicyVersion> Versions, IReadOnlyList<StoredGroup> Groups,
    IReadOnlyList<TrainingStepRecord> Steps)
{
    public static async Task<StoredRun> ReadAsync(ServiceCluster cluster, Guid runId)
    {
        await using var storage = cluster.Storage();
        var summary = await storage.GetRequiredService<RunSummaryQuery>().GetAsync(runId)
            ?? throw new InvalidOperationException($"run {runId} is not in the test database");
        var versions = await storage.GetRequiredService<PolicyVersionStore>().ListAsync(runId);
        var groups = new List<StoredGroup>();
        await foreach (var group in storage.GetRequiredService<ScoredGroupStore>().ReadRunAsync(runId)) groups.Add(group);
        var steps = await storage.GetRequiredService<TrainingStepStore>().ListAsync(runId);
        return new StoredRun(summary, RunSettings.FromJson(summary.Run.ConfigJson), versions, groups, steps);
    }

    /// <summary>Every batch holds exactly the prompts the learner dispatched for it (the deterministic prompt feed),
    /// each (batch, prompt) once, each with G scored completions: nothing lost, nothing stored twice.</summary>
    public void AssertEveryGroupStoredExactlyOnce()
    {
        var run = Config.Run;
        Assert.Equal(RunStatus.Completed, Summary.Run.Status);
        Assert.Equal(run.Steps * run.PromptsPerBatch, Summary.Run.GroupsExpected);
        Assert.Equal(run.Steps * run.PromptsPerBatch, Groups.Count);
        Assert.Equal(Groups.Count, Groups.Select(g => (g.Group.BatchId, g.Group.PromptId)).Distinct().Count());

        var feed = new PromptFeed(TaskSources.For(Config), run.Seed, run.PromptsPerBatch);
        var byBatch = Groups.GroupBy(g => g.Group.BatchId).ToDictionary(b => b.Key, b => b.Select(g => g.Group.PromptId).Order().ToArray());
        Assert.Equal(Enumerable.Range(0, run.Steps), byBatch.Keys.Order());
        for (int batch = 0; batch < run.Steps; batch++)
            Assert.Equal(feed.Batch(batch).Select(p => p.PromptId).Order(), byBatch[batch]);
        foreach (var group in Groups)
        {
            Assert.Equal(run.GroupSize, group.Group.Completions.Count);
            Assert.Equal(run.GroupSize, group.Group.Scores.Count);
        }
    }

    /// <summary>Versions 0…N are all recorded, N is at least <paramref name="atLeast"/>, and each checkpoint's weights
    /// file has the SHA-256 recorded (and announced) for it.</summary>
    public void AssertVersionsMatchTheirCheckpoints(int atLeast)
    {
        Assert.True(Versions.Count - 1 >= atLeast, $"{Versions.Count - 1} policy versions after the base, expected at least {atLeast}");
        Assert.Equal(Enumerable.Range(0, Versions.Count), Versions.Select(v => v.Version));
        foreach (var version in Versions)
        {
            var weights = Path.Combine(CheckpointUris.ToPath(version.CheckpointUri), Checkpoint.WeightsFile);
            Assert.True(File.Exists(weights), $"version {version.Version}: {weights} does not exist");
            Assert.Equal(version.Sha256, Checkpoint.Sha256(weights));
        }
    }

    /// <summary>The training-step record consumed every batch exactly once, in steps 1…N, and no group was trained on
    /// twice: each group belongs to the one step that consumed it.</summary>
    public void AssertEveryBatchConsumedExactlyOnce()
    {
        Assert.Equal(Enumerable.Range(1, Config.Run.Steps), Steps.Select(s => s.Step));
        Assert.Equal(Enumerable.Range(0, Config.Run.Steps), Steps.Select(s => s.BatchId).Order());
        var consumed = Steps.SelectMany(s => s.Groups).ToArray();
        Assert.Equal(consumed.Length, consumed.Distinct().Count());
        Assert.Equal(Groups.Count, consumed.Length);
    }
}
