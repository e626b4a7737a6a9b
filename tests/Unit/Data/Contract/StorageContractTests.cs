using Microsoft.EntityFrameworkCore;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Data.Entities;

namespace Pipeline.Tests.Data.Contract;

/// <summary>What both providers must do, run against a real database of each: SQLite in the unit tests, PostgreSQL
/// in the integration tests. Every test gets a fresh, migrated database of its own.</summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    TestStorage? storage;

    protected TestStorage Storage => storage ?? throw new InvalidOperationException("storage is created in InitializeAsync");

    /// <summary>A new, empty database (not yet migrated) that nothing else uses.</summary>
    protected abstract Task<TestStorage> CreateEmptyStorageAsync();

    public async Task InitializeAsync()
    {
        storage = await CreateEmptyStorageAsync();
        Applied = await storage.Migrator.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (storage is not null)
            await storage.DisposeAsync();
    }

    IReadOnlyList<string> Applied { get; set; } = [];

    [Fact]
    public async Task Migrations_apply_on_an_empty_database_and_then_nothing_is_pending()
    {
        Assert.EndsWith("_Initial", Applied[0]);
        Assert.EndsWith("_RunLease", Applied[^1]);
        Assert.Equal(Applied.Order(StringComparer.Ordinal), Applied);
        Assert.Empty(await Storage.Migrator.PendingAsync());
        Assert.Empty(await Storage.Migrator.MigrateAsync());
    }

    [Fact]
    public async Task One_learner_holds_a_run_lease_until_it_runs_out_or_is_given_up()
    {
        var lease = TimeSpan.FromSeconds(20);
        var run = await Storage.Runs.CreateAsync(Samples.Run() with { LeaseOwner = "a", LeaseDuration = lease });
        Assert.False(await Storage.Runs.TryHoldLeaseAsync(run.Id, "b", lease));
        Assert.True(await Storage.Runs.TryHoldLeaseAsync(run.Id, "a", lease));

        Storage.Clock.Advance(TimeSpan.FromSeconds(19));
        Assert.False(await Storage.Runs.TryHoldLeaseAsync(run.Id, "b", lease));
        Storage.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await Storage.Runs.TryHoldLeaseAsync(run.Id, "b", lease));
        Assert.False(await Storage.Runs.TryHoldLeaseAsync(run.Id, "a", lease));
        Assert.Equal("b", (await Storage.Runs.GetAsync(run.Id))!.LeaseOwner);

        await Storage.Runs.ReleaseLeaseAsync(run.Id, "a");
        Assert.Equal("b", (await Storage.Runs.GetAsync(run.Id))!.LeaseOwner);
        await Storage.Runs.ReleaseLeaseAsync(run.Id, "b");
        Assert.True(await Storage.Runs.TryHoldLeaseAsync(run.Id, "a", lease));

        await Storage.Runs.MarkCompletedAsync(run.Id);
        Assert.False(await Storage.Runs.TryHoldLeaseAsync(run.Id, "a", lease));
    }

    [Fact]
    public async Task Running_training_runs_are_resumable_and_replays_are_not()
    {
        var training = await Storage.Runs.CreateAsync(Samples.Run());
        var replay = await Storage.Runs.CreateAsync(Samples.Run("replay") with { SourceRunId = training.Id });
        var finished = await Storage.Runs.CreateAsync(Samples.Run("finished"));
        await Storage.Runs.MarkCompletedAsync(finished.Id);

        Assert.Equal([training.Id], (await Storage.Runs.ListResumableAsync()).Select(r => r.Id));
        Assert.NotEqual(RunStatus.Completed, (await Storage.Runs.GetAsync(replay.Id))!.Status);
    }

    [Fact]
    public async Task Two_learners_racing_for_a_free_lease_cannot_both_win()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        var holds = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Storage.Runs.TryHoldLeaseAsync(run.Id, $"learner-{i}", TimeSpan.FromSeconds(20))));
        Assert.Equal(1, holds.Count(h => h));
    }

    [Fact]
    public async Task A_group_of_a_run_the_database_does_not_hold_is_refused_as_such_not_counted_as_a_duplicate()
    {
        var unknown = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<UnknownRunException>(() => Storage.Groups.TryAddAsync(Samples.Group(unknown, 0, 1)));

        Assert.Equal(unknown, error.RunId);
        Assert.Contains(unknown.ToString(), error.Message);
        Assert.IsType<DbUpdateException>(error.InnerException);
        Assert.False(await Storage.Groups.ExistsAsync(unknown, 0, 1));
    }

    [Fact]
    public async Task A_prompt_and_completion_with_NUL_and_broken_surrogates_are_stored_with_replacement_characters()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        var group = Samples.Group(run.Id, 0, 1);
        group = group with
        {
            Prompt = group.Prompt with { Text = "What is\0 1 + 0?" + "\uD800" },
            Completions = group.Completions.Select(c => c with { Text = c.Text + "\0tail\uDC00" }).ToList(),
        };
        Assert.Equal(AddOutcome.Added, await Storage.Groups.TryAddAsync(group));

        var stored = await Storage.Groups.GetAsync(run.Id, 0, 1);
        Assert.NotNull(stored);
        Assert.Equal("What is\uFFFD 1 + 0?\uFFFD", stored.Group.Prompt.Text);
        Assert.All(stored.Group.Completions, c => Assert.EndsWith("\uFFFDtail\uFFFD", c.Text));
        Assert.Equal(group.Completions[0].TokenIds, stored.Group.Completions[0].TokenIds);
        await Storage.Runs.MarkFailedAsync(run.Id, "bad\0 reason");
        Assert.Equal("bad\uFFFD reason", (await Storage.Runs.GetAsync(run.Id))!.Error);
    }

    [Fact]
    public async Task A_run_is_created_running_and_finishes_once()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        Storage.Clock.Advance(TimeSpan.FromMinutes(5));
        await Storage.Runs.MarkCompletedAsync(run.Id);

        var stored = await Storage.Runs.GetAsync(run.Id);
        Assert.NotNull(stored);
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Equal("arith-grpo", stored.Name);
        Assert.Equal(1234, stored.Seed);
        Assert.Equal(64, stored.GroupsExpected);
        Assert.Equal(Samples.Run().ConfigJson, stored.ConfigJson);
        Assert.Equal(run.CreatedAt, stored.CreatedAt);
        Assert.Equal(run.CreatedAt.AddMinutes(5), stored.FinishedAt);
        Assert.Null(stored.Error);

        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => Storage.Runs.MarkFailedAsync(run.Id, "late"));
        Assert.Contains("already completed", twice.Message);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Storage.Runs.MarkCompletedAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task A_failed_run_keeps_its_error_and_runs_list_newest_first()
    {
        var first = await Storage.Runs.CreateAsync(Samples.Run("first"));
        Storage.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await Storage.Runs.CreateAsync(Samples.Run("second"));
        Storage.Clock.Advance(TimeSpan.FromSeconds(1));
        var third = await Storage.Runs.CreateAsync(Samples.Run("third"));
        await Storage.Runs.MarkFailedAsync(second.Id, "learner crashed: NaN loss");

        var failed = await Storage.Runs.GetAsync(second.Id);
        Assert.Equal(RunStatus.Failed, failed!.Status);
        Assert.Equal("learner crashed: NaN loss", failed.Error);

        Assert.Equal([third.Id, second.Id, first.Id], (await Storage.Runs.ListAsync()).Select(r => r.Id));
        Assert.Equal([third.Id, second.Id], (await Storage.Runs.ListAsync(limit: 2)).Select(r => r.Id));
    }

    [Fact]
    public async Task A_group_inserted_twice_is_stored_once_and_counted_as_a_duplicate()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        var group = Samples.Group(run.Id, batchId: 3, promptId: 7);

        Assert.Equal(AddOutcome.Added, await Storage.Groups.TryAddAsync(group));
        Assert.Equal(AddOutcome.Duplicate, await Storage.Groups.TryAddAsync(group));
        // A redelivery is the same key even if its content differs (e.g. re-scored): the first copy wins.
        Assert.Equal(AddOutcome.Duplicate, await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 3, 7, policyVersion: 9)));

        var summary = await Storage.Summaries.GetAsync(run.Id);
        Assert.Equal(1, summary!.GroupsScored);
        Assert.Equal(2, summary.DuplicatesIgnored);
        Assert.Equal(1, (await Storage.Groups.GetAsync(run.Id, 3, 7))!.Group.PolicyVersion);
    }

    [Fact]
    public async Task Concurrent_inserts_of_the_same_group_store_it_once()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        var group = Samples.Group(run.Id, batchId: 1, promptId: 1);
        const int copies = 8;

        using var start = new ManualResetEventSlim();
        var inserts = Enumerable.Range(0, copies)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await Storage.Groups.TryAddAsync(group);
            }))
            .ToList();
        start.Set();
        var outcomes = await Task.WhenAll(inserts);

        Assert.Equal(1, outcomes.Count(o => o == AddOutcome.Added));
        Assert.Equal(copies - 1, outcomes.Count(o => o == AddOutcome.Duplicate));
        var summary = await Storage.Summaries.GetAsync(run.Id);
        Assert.Equal(1, summary!.GroupsScored);
        Assert.Equal(copies - 1, summary.DuplicatesIgnored);
    }

    [Fact]
    public async Task Many_writers_at_once_all_succeed()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        const int writers = 4, groupsEach = 15;

        var work = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var prompt = 0; prompt < groupsEach; prompt++)
            {
                Assert.Equal(AddOutcome.Added, await Storage.Groups.TryAddAsync(Samples.Group(run.Id, writer, prompt)));
                await Storage.Metrics.AppendStepAsync(run.Id, writer * groupsEach + prompt,
                    new Dictionary<string, double> { ["loss"] = prompt, ["reward_mean"] = writer });
            }
        }));
        await Task.WhenAll(work);

        Assert.Equal(writers * groupsEach, (await Storage.Summaries.GetAsync(run.Id))!.GroupsScored);
        Assert.Equal(writers * groupsEach, (await Storage.Metrics.GetCurveAsync(run.Id, "loss")).Count);
    }

    [Fact]
    public async Task A_group_round_trips_with_its_packed_bytes_scores_and_prompt()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        var sent = Samples.Group(run.Id, batchId: 2, promptId: 5, policyVersion: 4, size: 6);
        await Storage.Groups.TryAddAsync(sent);

        var stored = await Storage.Groups.GetAsync(run.Id, 2, 5);
        Assert.NotNull(stored);
        Assert.False(stored.TrainedOn);
        Assert.False(stored.Stale);
        Assert.Equal(Storage.Clock.GetUtcNow(), stored.ReceivedAt);

        var got = stored.Group;
        Assert.Equal(sent.RunId, got.RunId);
        Assert.Equal(4, got.PolicyVersion);
        Assert.Equal(sent.Prompt, got.Prompt);
        Assert.Equal(6, got.Completions.Count);
        for (var i = 0; i < sent.Completions.Count; i++)
        {
            var (want, have) = (sent.Completions[i], got.Completions[i]);
            Assert.Equal(want.Index, have.Index);
            Assert.Equal(want.Text, have.Text);
            Assert.Equal(want.FinishReason, have.FinishReason);
            Assert.Equal(want.TokenIds, have.TokenIds);
            Assert.Equal(want.LogProbs, have.LogProbs);
            Assert.Equal(PackedArrays.UnpackInts(want.TokenIds), PackedArrays.UnpackInts(have.TokenIds));
            Assert.Equal(PackedArrays.UnpackFloats(want.LogProbs), PackedArrays.UnpackFloats(have.LogProbs));

            var (wantScore, haveScore) = (sent.Scores[i], got.Scores[i]);
            Assert.Equal(wantScore.Index, haveScore.Index);
            Assert.Equal(wantScore.Reward, haveScore.Reward);
            Assert.Equal(wantScore.Verdict, haveScore.Verdict);
            Assert.Equal(wantScore.Components.OrderBy(c => c.Key), haveScore.Components.OrderBy(c => c.Key));
        }
    }

    [Fact]
    public async Task Stale_and_trained_groups_are_flagged_and_read_back_in_order()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 2, 1));
        await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 1, 2));
        await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 1, 1, policyVersion: 0), stale: true);

        // A step that trained on two stored groups; a key that names no stored group marks nothing.
        await Storage.Get<Pipeline.Data.Stores.TrainingStepStore>().AddAsync(new Pipeline.Data.Stores.TrainingStepRecord(
            run.Id, 1, 1, 0, 1, new string('a', 64), [(1, 2), (2, 1), (9, 9)], [], 1e-4));

        var all = new List<Pipeline.Data.Stores.StoredGroup>();
        await foreach (var group in Storage.Groups.ReadRunAsync(run.Id))
            all.Add(group);
        Assert.Equal([(1, 1), (1, 2), (2, 1)], all.Select(g => (g.Group.BatchId, g.Group.PromptId)));
        Assert.Equal([false, true, true], all.Select(g => g.TrainedOn));
        Assert.Equal([true, false, false], all.Select(g => g.Stale));
        Assert.All(all, g => Assert.Equal(4, g.Group.Completions.Count));
    }

    [Fact]
    public async Task Completions_are_described_by_count_and_component_keys_and_steps_are_found_by_number()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        var other = await Storage.Runs.CreateAsync(Samples.Run("other"));
        var partial = Samples.Group(run.Id, 0, 1, size: 2);
        partial = partial with { Scores = partial.Scores.Select(s => s with { Components = new Dictionary<string, double> { ["pass_rate"] = 0.5 } }).ToList() };
        var foreign = Samples.Group(other.Id, 0, 0);
        foreign = foreign with { Scores = foreign.Scores.Select(s => s with { Components = new Dictionary<string, double> { ["zzz"] = 1 } }).ToList() };
        await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 0, 0));
        await Storage.Groups.TryAddAsync(partial);
        await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 1, 0));
        await Storage.Groups.TryAddAsync(foreign);

        var (completions, keys) = await Storage.Groups.DescribeCompletionsAsync(run.Id);
        Assert.Equal(10, completions);
        Assert.Equal(["accuracy", "format", "pass_rate"], keys);
        var (none, noKeys) = await Storage.Groups.DescribeCompletionsAsync(Guid.NewGuid());
        Assert.Equal(0, none);
        Assert.Empty(noKeys);

        var steps = Storage.Get<Pipeline.Data.Stores.TrainingStepStore>();
        await steps.AddAsync(new Pipeline.Data.Stores.TrainingStepRecord(run.Id, 1, 0, 0, 1, new string('a', 64), [(0, 0), (0, 1)],
            [new Pipeline.Data.Stores.DroppedGroup(0, 1, "zero-variance")], 1e-4));
        var step = await steps.GetAsync(run.Id, 1);
        Assert.NotNull(step);
        Assert.Equal([(0, 0), (0, 1)], step.Groups);
        Assert.Equal(["zero-variance"], step.Dropped.Select(d => d.Reason));
        Assert.Equal(1, step.PolicyVersion);
        Assert.Null(await steps.GetAsync(run.Id, 2));
        Assert.Null(await steps.GetAsync(other.Id, 1));

        var consumed = new List<int?>();
        await foreach (var group in Storage.Groups.ReadRunAsync(run.Id)) consumed.Add(group.ConsumedAtStep);
        Assert.Equal([1, 1, null], consumed);
    }

    [Fact]
    public async Task Policy_versions_are_recorded_once_and_the_latest_is_found()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        Assert.Null(await Storage.PolicyVersions.LatestAsync(run.Id));

        foreach (var version in new[] { 1, 3, 2 })
            Assert.Equal(AddOutcome.Added, await Storage.PolicyVersions.AddAsync(Published(run.Id, version)));
        Assert.Equal(AddOutcome.Duplicate, await Storage.PolicyVersions.AddAsync(Published(run.Id, 3)));

        var latest = await Storage.PolicyVersions.LatestAsync(run.Id);
        Assert.Equal(3, latest!.Version);
        Assert.Equal("file:///ckpt/v3.safetensors", latest.CheckpointUri);
        Assert.Equal(new string('3', 64), latest.Sha256);
        Assert.Equal("safetensors", latest.Format);
        Assert.Equal(2, (await Storage.PolicyVersions.GetAsync(run.Id, 2))!.Version);
        Assert.Null(await Storage.PolicyVersions.GetAsync(run.Id, 4));
        Assert.Equal([1, 2, 3], (await Storage.PolicyVersions.ListAsync(run.Id)).Select(v => v.Version));
    }

    [Fact]
    public async Task Metrics_form_curves_in_step_order_and_a_repeated_step_replaces_its_values()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        await Storage.Metrics.AppendStepAsync(run.Id, 2, new Dictionary<string, double> { ["loss"] = 0.5, ["kl"] = 0.01 });
        await Storage.Metrics.AppendStepAsync(run.Id, 1, new Dictionary<string, double> { ["loss"] = 0.9, ["kl"] = 0.0 });
        await Storage.Metrics.AppendStepAsync(run.Id, 3, new Dictionary<string, double> { ["loss"] = 0.4 });
        await Storage.Metrics.AppendStepAsync(run.Id, 2, new Dictionary<string, double> { ["loss"] = 0.45 });

        Assert.Equal([new(1, 0.9), new(2, 0.45), new(3, 0.4)], await Storage.Metrics.GetCurveAsync(run.Id, "loss"));

        var curves = await Storage.Metrics.GetCurvesAsync(run.Id, fromStep: 2);
        Assert.Equal(["kl", "loss"], curves.Keys.Order());
        Assert.Equal([new(2, 0.01)], curves["kl"]);
        Assert.Equal([new(2, 0.45), new(3, 0.4)], curves["loss"]);
        Assert.Empty(await Storage.Metrics.GetCurveAsync(run.Id, "missing"));
    }

    [Fact]
    public async Task A_summary_counts_versions_groups_duplicates_and_shows_the_latest_evaluation()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        var other = await Storage.Runs.CreateAsync(Samples.Run("other"));
        await Storage.PolicyVersions.AddAsync(Published(run.Id, 1));
        await Storage.PolicyVersions.AddAsync(Published(run.Id, 2));
        await Storage.PolicyVersions.AddAsync(Published(other.Id, 1));
        await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 0, 0));
        await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 0, 1));
        await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 0, 1));
        await Storage.Groups.TryAddAsync(Samples.Group(run.Id, 1, 0, policyVersion: 0), stale: true);
        await Storage.Groups.TryAddAsync(Samples.Group(other.Id, 0, 0));
        await Storage.Get<Pipeline.Data.Stores.TrainingStepStore>().AddAsync(new Pipeline.Data.Stores.TrainingStepRecord(
            run.Id, 1, 0, 0, 1, new string('a', 64), [(0, 0), (0, 1)], [], 1e-4));
        await Storage.Evaluations.AddAsync(Samples.Evaluation(run.Id, 1, accuracy: 0.25));
        Storage.Clock.Advance(TimeSpan.FromSeconds(1));
        await Storage.Evaluations.AddAsync(Samples.Evaluation(run.Id, 2, accuracy: 0.5));

        var summary = await Storage.Summaries.GetAsync(run.Id);

        Assert.NotNull(summary);
        Assert.Equal(run.Id, summary.Run.Id);
        Assert.Equal(2, summary.PolicyVersions);
        Assert.Equal(2, summary.LatestPolicyVersion);
        Assert.Equal(3, summary.GroupsScored);
        Assert.Equal(2, summary.GroupsTrainedOn);
        Assert.Equal(1, summary.GroupsStale);
        Assert.Equal(1, summary.DuplicatesIgnored);
        Assert.Equal(2, summary.LatestEvaluation!.PolicyVersion);
        Assert.Equal(0.5, summary.LatestEvaluation.Accuracy);
        Assert.Equal(8, summary.LatestEvaluation.K);
        Assert.Equal([1, 2], (await Storage.Evaluations.ListAsync(run.Id)).Select(e => e.PolicyVersion));
        Assert.Null(await Storage.Summaries.GetAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task An_empty_run_summarises_to_zeroes()
    {
        var run = await Storage.Runs.CreateAsync(Samples.Run());
        var summary = await Storage.Summaries.GetAsync(run.Id);
        Assert.NotNull(summary);
        Assert.Equal(0, summary.PolicyVersions);
        Assert.Null(summary.LatestPolicyVersion);
        Assert.Equal(0, summary.GroupsScored);
        Assert.Equal(0, summary.GroupsTrainedOn);
        Assert.Equal(0, summary.GroupsStale);
        Assert.Equal(0, summary.DuplicatesIgnored);
        Assert.Null(summary.LatestEvaluation);
    }

    static PolicyPublished Published(Guid runId, int version) => new()
    {
        RunId = runId,
        Version = version,
        CheckpointUri = $"file:///ckpt/v{version}.safetensors",
        Sha256 = new string((char)('0' + version), 64),
        Format = "safetensors",
    };
}
