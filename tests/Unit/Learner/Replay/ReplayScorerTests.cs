using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Data.Stores;
using Pipeline.Learner;
using Pipeline.Learner.Replay;
using Pipeline.Rewards;
using Pipeline.Sandboxing;
using Pipeline.Tests.Data;
using Pipeline.Tests.Data.Contract;

namespace Pipeline.Tests.Unit.Learner.Replay;

/// <summary><c>pipeline replay score</c> against a real SQLite file: a run stored with the scores today's math rules
/// give, then one stored score edited in the database as an older rule might have written it.</summary>
public sealed class ReplayScorerTests : IAsyncLifetime
{
    static readonly MathScorer Rules = new(Options.Create(new RewardOptions()));

    TestStorage storage = null!;
    Guid runId;

    public async Task InitializeAsync()
    {
        var folder = new TempDirectory();
        var connectionString = $"Data Source={folder.File("pipeline.db")}";
        storage = new TestStorage(StorageProvider.Sqlite, connectionString, () =>
        {
            using (var connection = new SqliteConnection(connectionString))
                SqliteConnection.ClearPool(connection);
            folder.Dispose();
            return ValueTask.CompletedTask;
        });
        await storage.Migrator.MigrateAsync();
        runId = (await storage.Runs.CreateAsync(Samples.Run())).Id;
        foreach (var (batch, prompt) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
            Assert.Equal(AddOutcome.Added, await storage.Groups.TryAddAsync(MathGroup(runId, batch, prompt)));
        await storage.Runs.MarkCompletedAsync(runId);
    }

    public Task DisposeAsync() => storage.DisposeAsync().AsTask();

    ReplayScorer Scorer(params ICompletionScorer[] more) =>
        new(storage.Runs, storage.Groups, storage.Get<ScoringRevisionStore>(), new CompletionScorerRouter([Rules, .. more]));

    [Fact]
    public async Task A_run_stored_with_todays_rules_has_no_changes()
    {
        var result = await Scorer().ScoreAsync(new ReplayScoreRequest(runId), null, CancellationToken.None);

        Assert.Equal(runId, result.RunId);
        Assert.Equal(16, result.Completions);
        Assert.Equal(0, result.Changed);
        Assert.Equal(16, result.Unchanged);
        Assert.Equal(0, result.NotRescored);
        Assert.Null(result.RevisionId);
        Assert.Equal(new Dictionary<string, int> { ["equivalent"] = 4, ["not-equivalent"] = 12 }, result.VerdictsBefore);
        Assert.Equal(result.VerdictsBefore, result.VerdictsAfter);
    }

    [Fact]
    public async Task An_edited_stored_score_is_the_one_change_with_the_edited_value_before_and_the_rules_after()
    {
        await EditStoredScoreAsync(batch: 1, prompt: 0, index: 2, reward: 1.5, verdict: "correct");
        var progress = new List<ReplayScoreProgress>();

        var result = await Scorer().ScoreAsync(new ReplayScoreRequest(runId), new Collect(progress), CancellationToken.None);

        var change = Assert.Single(result.Changes);
        Assert.Equal((1, 0, 2), (change.BatchId, change.PromptId, change.Index));
        Assert.Equal((1.5, "correct"), (change.Before.Reward, change.Before.Verdict));
        var rule = Rules.Score(2, "<think>adding</think><answer>3</answer>", "1");
        Assert.Equal((rule.Reward, rule.Verdict), (change.After.Reward, change.After.Verdict));
        Assert.Equal("not-equivalent", change.After.Verdict);
        Assert.Equal((16, 1, 15, 0), (result.Completions, result.Changed, result.Unchanged, result.NotRescored));
        Assert.Equal(new Dictionary<string, int> { ["correct"] = 1, ["equivalent"] = 4, ["not-equivalent"] = 11 }, result.VerdictsBefore);
        Assert.Equal(new Dictionary<string, int> { ["equivalent"] = 4, ["not-equivalent"] = 12 }, result.VerdictsAfter);
        Assert.Equal([new(1, 4), new(2, 8), new(3, 12), new(4, 16)], progress);
    }

    [Fact]
    public async Task Save_stores_every_completions_new_score_as_a_revision_and_leaves_the_run_as_it_was()
    {
        await EditStoredScoreAsync(batch: 1, prompt: 0, index: 2, reward: 1.5, verdict: "correct");
        var storedBefore = await StoredScoresAsync();

        var result = await Scorer().ScoreAsync(new ReplayScoreRequest(runId, Save: true), null, CancellationToken.None);

        var id = Assert.IsType<long>(result.RevisionId);
        var revision = await storage.Get<ScoringRevisionStore>().GetAsync(id);
        Assert.NotNull(revision);
        Assert.Equal((runId, CodeVersion.Current, 16, 1, 0), (revision.RunId, revision.CodeVersion, revision.Completions, revision.Changed, revision.NotRescored));
        foreach (var batch in new[] { 0, 1 })
        {
            var saved = await storage.Get<ScoringRevisionStore>().ReadBatchAsync(id, batch);
            Assert.Equal(8, saved.Count);
            foreach (var group in await storage.Groups.ReadBatchAsync(runId, batch))
                foreach (var completion in group.Group.Completions)
                {
                    var rule = Rules.Score(completion.Index, completion.Text, group.Group.Prompt.Reference);
                    var score = saved[(group.Group.PromptId, completion.Index)];
                    Assert.Equal((rule.Reward, rule.Verdict), (score.Reward, score.Verdict));
                    Assert.Equal(rule.Components, score.Components);
                }
        }
        Assert.Equal(storedBefore, await StoredScoresAsync());
        Assert.Contains((1, 0, 2, 1.5, "correct"), storedBefore);
    }

    [Fact]
    public async Task Completions_whose_rule_cannot_run_here_are_not_rescored_and_keep_their_stored_score_in_a_revision()
    {
        var code = MathGroup(runId, 2, 0) with { Prompt = new RolloutPrompt { PromptId = 0, Text = "Print 1.", Task = "code", Reference = "{}" } };
        code = code with { Scores = code.Scores.Select(s => s with { Reward = 1, Verdict = "accepted" }).ToArray() };
        await storage.Groups.TryAddAsync(code);

        var result = await Scorer(new NoSandbox()).ScoreAsync(new ReplayScoreRequest(runId, Save: true), null, CancellationToken.None);

        Assert.Equal((20, 0, 16, 4), (result.Completions, result.Changed, result.Unchanged, result.NotRescored));
        var reason = Assert.Single(result.NotRescoredReasons);
        Assert.Equal(4, reason.Value);
        Assert.Contains("no bwrap here", reason.Key);
        Assert.Equal(4, result.VerdictsAfter[ReplayScorer.NotRescoredVerdict]);
        Assert.Equal(4, result.VerdictsBefore["accepted"]);
        var saved = await storage.Get<ScoringRevisionStore>().ReadBatchAsync(result.RevisionId!.Value, 2);
        Assert.Equal(4, saved.Count);
        Assert.All(saved.Values, s => Assert.Equal((1.0, "accepted"), (s.Reward, s.Verdict)));
        Assert.Equal(4, (await storage.Get<ScoringRevisionStore>().GetAsync(result.RevisionId.Value))!.NotRescored);
    }

    [Fact]
    public async Task An_unknown_run_is_refused()
    {
        var unknown = Guid.NewGuid();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Scorer().ScoreAsync(new ReplayScoreRequest(unknown), null, CancellationToken.None));
        Assert.Equal($"no run {unknown} in the configured database", e.Message);
    }

    [Fact]
    public async Task Saving_a_rescoring_of_a_running_run_is_refused_but_reporting_is_not()
    {
        var running = (await storage.Runs.CreateAsync(Samples.Run("still-going"))).Id;
        await storage.Groups.TryAddAsync(MathGroup(running, 0, 0));

        Assert.Equal(4, (await Scorer().ScoreAsync(new ReplayScoreRequest(running), null, CancellationToken.None)).Unchanged);
        await Assert.ThrowsAsync<ArgumentException>(() => Scorer().ScoreAsync(new ReplayScoreRequest(running, Save: true), null, CancellationToken.None));
    }

    /// <summary>A stored group whose scores are exactly what today's math rules give (completion 0 correct, the rest wrong).</summary>
    static RolloutGroupScored MathGroup(Guid runId, int batch, int prompt)
    {
        var group = Samples.Group(runId, batch, prompt);
        return group with { Scores = group.Completions.Select(c => Rules.Score(c.Index, c.Text, group.Prompt.Reference)).ToArray() };
    }

    /// <summary>Rewrites one stored score in place, as an older reward rule might have scored it.</summary>
    async Task EditStoredScoreAsync(int batch, int prompt, int index, double reward, string verdict)
    {
        await using var db = await storage.Get<IDbContextFactory<PipelineDbContext>>().CreateDbContextAsync();
        var groupId = await db.ScoredGroups.Where(g => g.RunId == runId && g.BatchId == batch && g.PromptId == prompt).Select(g => g.Id).SingleAsync();
        var updated = await db.ScoredCompletions.Where(c => c.ScoredGroupId == groupId && c.Index == index)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Reward, reward).SetProperty(c => c.Verdict, verdict));
        Assert.Equal(1, updated);
    }

    async Task<List<(int Batch, int Prompt, int Index, double Reward, string Verdict)>> StoredScoresAsync()
    {
        var scores = new List<(int, int, int, double, string)>();
        await foreach (var stored in storage.Groups.ReadRunAsync(runId))
            scores.AddRange(stored.Group.Scores.Select(s => (stored.Group.BatchId, stored.Group.PromptId, s.Index, s.Reward, s.Verdict)));
        return scores;
    }

    sealed class Collect(List<ReplayScoreProgress> into) : IProgress<ReplayScoreProgress>
    {
        public void Report(ReplayScoreProgress value) => into.Add(value);
    }

    /// <summary>The code kind where the sandbox cannot be established, as <c>CodeCompletionScorer</c> behaves there.</summary>
    sealed class NoSandbox : ICompletionScorer
    {
        public string Kind => "code";

        public ValueTask<CompletionScore> ScoreAsync(int index, string completion, string reference, CancellationToken cancellationToken) =>
            throw new SandboxUnavailableException("no bwrap here");
    }
}
