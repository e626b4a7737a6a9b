using Microsoft.EntityFrameworkCore;
using Pipeline.Contracts;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Stores;

/// <summary>A completion's new score, by its place in the run.</summary>
public sealed record Rescore(int BatchId, int PromptId, CompletionScore Score);

/// <summary>Re-scorings of a run's completions (<see cref="ScoringRevision"/>). A revision is written once, whole,
/// in one transaction; the run's original scores are never touched.</summary>
public sealed class ScoringRevisionStore(IDbContextFactory<PipelineDbContext> contexts, TimeProvider time)
{
    /// <returns>the new revision's id</returns>
    public async Task<long> AddAsync(Guid runId, string codeVersion, int completions, int changed, int notRescored,
        IEnumerable<Rescore> scores, CancellationToken cancellationToken = default)
    {
        var all = scores as IReadOnlyCollection<Rescore> ?? scores.ToList();
        long id = 0;
        // A try whose commit was lost writes a second, identical revision: harmless, and rarer than one database
        // restart per re-scoring.
        await contexts.InTransactionAsync(async (db, ct) =>
        {
            var revision = new ScoringRevision
            {
                RunId = runId,
                CodeVersion = codeVersion,
                Completions = completions,
                Changed = changed,
                NotRescored = notRescored,
                CreatedAt = time.GetUtcNow(),
            };
            db.ScoringRevisions.Add(revision);
            await db.SaveChangesAsync(ct);
            foreach (var chunk in all.Chunk(1000))
            {
                db.RescoredCompletions.AddRange(chunk.Select(s => new RescoredCompletion
                {
                    ScoringRevisionId = revision.Id,
                    BatchId = s.BatchId,
                    PromptId = s.PromptId,
                    Index = s.Score.Index,
                    Reward = s.Score.Reward,
                    ComponentsJson = ScoredGroupMapper.ComponentsToJson(s.Score.Components),
                    Verdict = s.Score.Verdict,
                }));
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
            id = revision.Id;
        }, committed: (_, _) => Task.FromResult(false), cancellationToken);
        return id;
    }

    public async Task<ScoringRevision?> GetAsync(long revisionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ScoringRevisions.SingleOrDefaultAsync(r => r.Id == revisionId, cancellationToken);
    }

    /// <summary>The revision's scores of one batch, by (prompt, completion index).</summary>
    public async Task<IReadOnlyDictionary<(int PromptId, int Index), CompletionScore>> ReadBatchAsync(
        long revisionId, int batchId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.RescoredCompletions.Where(s => s.ScoringRevisionId == revisionId && s.BatchId == batchId)
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => (r.PromptId, r.Index), r => new CompletionScore
        {
            Index = r.Index,
            Reward = r.Reward,
            Components = ScoredGroupMapper.ComponentsFromJson(r.ComponentsJson),
            Verdict = r.Verdict,
        });
    }
}
