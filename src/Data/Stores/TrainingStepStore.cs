using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Stores;

/// <summary>A group a step did not train on, and why (<see cref="ZeroVariance"/> or <see cref="Stale"/>).</summary>
public sealed record DroppedGroup(int Batch, int Prompt, string Reason)
{
    /// <summary>Dynamic sampling dropped it: its rewards were all equal.</summary>
    public const string ZeroVariance = "zero-variance";

    /// <summary>Its whole batch lagged the learner by more than the staleness bound.</summary>
    public const string Stale = "stale";
}

/// <summary>What one consumed batch did (see <see cref="TrainingStep"/>).</summary>
public sealed record TrainingStepRecord(
    Guid RunId,
    int Step,
    int BatchId,
    int BehaviourVersion,
    int? PolicyVersion,
    string? CheckpointSha256,
    IReadOnlyList<(int Batch, int Prompt)> Groups,
    IReadOnlyList<DroppedGroup> Dropped,
    double LearningRate)
{
    /// <summary>The step consumed a stale batch: it trained on nothing and produced no version.</summary>
    public bool WasStale => PolicyVersion is null && Dropped.Count > 0 && Dropped.All(d => d.Reason == DroppedGroup.Stale);
}

/// <summary>The training-step record of runs. Writing a step also marks its groups consumed (and those trained on as
/// trained), in one transaction, so the record and the groups never disagree.</summary>
public sealed class TrainingStepStore(IDbContextFactory<PipelineDbContext> contexts, TimeProvider time)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(TrainingStepRecord step, CancellationToken cancellationToken = default)
    {
        await contexts.InTransactionAsync(async (db, ct) =>
        {
            db.TrainingSteps.Add(new TrainingStep
            {
                RunId = step.RunId,
                Step = step.Step,
                BatchId = step.BatchId,
                BehaviourVersion = step.BehaviourVersion,
                PolicyVersion = step.PolicyVersion,
                CheckpointSha256 = step.CheckpointSha256,
                GroupsJson = JsonSerializer.Serialize(step.Groups.Select(g => new[] { g.Batch, g.Prompt }), Json),
                DroppedJson = JsonSerializer.Serialize(step.Dropped, Json),
                LearningRate = step.LearningRate,
                CreatedAt = time.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
            // One statement per batch and outcome, not one per group: a step's groups are marked in two round trips.
            var dropped = step.Dropped.Select(d => (d.Batch, d.Prompt)).ToHashSet();
            var marks = step.Groups.GroupBy(g => (g.Batch, Trained: step.PolicyVersion is not null && !dropped.Contains(g)), g => g.Prompt);
            foreach (var mark in marks)
            {
                var (batch, trained) = mark.Key;
                var prompts = mark.ToArray();
                await db.ScoredGroups.Where(g => g.RunId == step.RunId && g.BatchId == batch && prompts.Contains(g.PromptId))
                    .ExecuteUpdateAsync(s => s.SetProperty(g => g.ConsumedAtStep, step.Step).SetProperty(g => g.TrainedOn, trained), ct);
            }
        }, committed: (db, ct) => db.TrainingSteps.AnyAsync(s => s.RunId == step.RunId && s.Step == step.Step, ct), cancellationToken);
    }

    /// <summary>The run's steps in order.</summary>
    public async Task<IReadOnlyList<TrainingStepRecord>> ListAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.TrainingSteps.Where(s => s.RunId == runId).OrderBy(s => s.Step).ToListAsync(cancellationToken);
        return rows.Select(ToRecord).ToArray();
    }

    /// <summary>One step of the run, or null when it has no such step.</summary>
    public async Task<TrainingStepRecord?> GetAsync(Guid runId, int step, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.TrainingSteps.AsNoTracking().SingleOrDefaultAsync(s => s.RunId == runId && s.Step == step, cancellationToken);
        return row is null ? null : ToRecord(row);
    }

    static TrainingStepRecord ToRecord(TrainingStep r) =>
        new(r.RunId, r.Step, r.BatchId, r.BehaviourVersion, r.PolicyVersion, r.CheckpointSha256,
            JsonSerializer.Deserialize<int[][]>(r.GroupsJson, Json)!.Select(g => (g[0], g[1])).ToArray(),
            JsonSerializer.Deserialize<DroppedGroup[]>(r.DroppedJson, Json)!, r.LearningRate);
}
