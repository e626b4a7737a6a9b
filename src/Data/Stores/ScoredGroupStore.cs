using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore;
using Pipeline.Contracts;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Stores;

/// <summary>Scored groups, stored exactly once. Delivery is at-least-once; the unique key (run, batch, prompt) in
/// the database decides which copy wins, so two consumers racing on the same redelivered group cannot both store
/// it (a check before the insert could not promise that).</summary>
public sealed class ScoredGroupStore(IDbContextFactory<PipelineDbContext> contexts, RunStore runs, TimeProvider time)
{
    /// <summary>Stores the group, or, when (run, batch, prompt) is already stored, counts it on the run's
    /// duplicates and returns <see cref="AddOutcome.Duplicate"/>. <paramref name="stale"/> marks a group generated
    /// by a policy too old to train on (bounded staleness): it is kept and counted, never trained on. A group of a run the
    /// database does not hold throws <see cref="UnknownRunException"/>.</summary>
    public async Task<AddOutcome> TryAddAsync(
        RolloutGroupScored group, bool stale = false, CancellationToken cancellationToken = default)
    {
        var entity = ScoredGroupMapper.ToEntity(group, stale, time.GetUtcNow());
        DbUpdateException violation;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.ScoredGroups.Add(entity);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return AddOutcome.Added;
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                violation = e;
            }
            catch (DbUpdateException e) when (e.IsForeignKeyViolation())
            {
                if (await runs.GetAsync(group.RunId, cancellationToken) is null)
                    throw new UnknownRunException(group.RunId, $"scored group ({group.BatchId}, {group.PromptId})", e);
                throw;
            }
        }

        // The insert was refused by a unique key; make sure it was this group's key and not something else.
        if (!await ExistsAsync(group.RunId, group.BatchId, group.PromptId, cancellationToken))
            ExceptionDispatchInfo.Throw(violation);
        await runs.IncrementDuplicatesAsync(group.RunId, cancellationToken);
        return AddOutcome.Duplicate;
    }

    public async Task<bool> ExistsAsync(Guid runId, int batchId, int promptId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ScoredGroups.AnyAsync(
            g => g.RunId == runId && g.BatchId == batchId && g.PromptId == promptId, cancellationToken);
    }

    public async Task<StoredGroup?> GetAsync(Guid runId, int batchId, int promptId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var group = await db.ScoredGroups.Include(g => g.Completions)
            .SingleOrDefaultAsync(g => g.RunId == runId && g.BatchId == batchId && g.PromptId == promptId, cancellationToken);
        return group is null ? null : ToStored(group);
    }

    /// <summary>The stored groups of one batch of a run, in prompt order.</summary>
    public async Task<IReadOnlyList<StoredGroup>> ReadBatchAsync(Guid runId, int batchId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var groups = await db.ScoredGroups.Include(g => g.Completions).Where(g => g.RunId == runId && g.BatchId == batchId)
            .OrderBy(g => g.PromptId).ToListAsync(cancellationToken);
        return groups.Select(ToStored).ToArray();
    }

    /// <summary>Every stored group of a run in (batch, prompt) order, streamed: for replay, re-scoring and export.
    /// Untracked, so that the context does not keep every group it has read: memory stays constant however long the
    /// run.</summary>
    public async IAsyncEnumerable<StoredGroup> ReadRunAsync(
        Guid runId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var groups = db.ScoredGroups.AsNoTracking().Include(g => g.Completions).Where(g => g.RunId == runId)
            .OrderBy(g => g.BatchId).ThenBy(g => g.PromptId).AsAsyncEnumerable();
        await foreach (var group in groups.WithCancellation(cancellationToken))
            yield return ToStored(group);
    }

    /// <summary>How many completions the run has stored, and every reward-component key any of them carries, in
    /// ordinal order. Reads only the distinct component objects (a handful: the values are 0 or 1), not the
    /// completions.</summary>
    public async Task<(long Completions, IReadOnlyList<string> ComponentKeys)> DescribeCompletionsAsync(
        Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var completions = db.ScoredGroups.AsNoTracking().Where(g => g.RunId == runId).SelectMany(g => g.Completions);
        var count = await completions.LongCountAsync(cancellationToken);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var json in completions.Select(c => c.ComponentsJson).Distinct().AsAsyncEnumerable().WithCancellation(cancellationToken))
            keys.UnionWith(ScoredGroupMapper.ComponentsFromJson(json).Keys);
        return (count, keys.ToArray());
    }

    static StoredGroup ToStored(ScoredGroup group) =>
        new(ScoredGroupMapper.ToMessage(group), group.TrainedOn, group.Stale, group.ReceivedAt, group.ConsumedAtStep);
}
