using Microsoft.EntityFrameworkCore;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Stores;

public sealed class EvaluationStore(IDbContextFactory<PipelineDbContext> contexts, TimeProvider time)
{
    public async Task<Evaluation> AddAsync(EvaluationResult result, CancellationToken cancellationToken = default)
    {
        var evaluation = new Evaluation
        {
            RunId = result.RunId,
            PolicyVersion = result.PolicyVersion,
            Split = result.Split,
            Accuracy = result.Accuracy,
            FormatRate = result.FormatRate,
            PassAtK = result.PassAtK,
            K = result.K,
            CreatedAt = time.GetUtcNow(),
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Evaluations.Add(evaluation);
        await db.SaveChangesAsync(cancellationToken);
        return evaluation;
    }

    /// <summary>The most recently recorded evaluation of the run, if any.</summary>
    public async Task<Evaluation?> LatestAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Latest(db, runId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>All evaluations of the run, by policy version then recording order.</summary>
    public async Task<IReadOnlyList<Evaluation>> ListAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Evaluations.Where(e => e.RunId == runId).OrderBy(e => e.PolicyVersion).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
    }

    internal static IQueryable<Evaluation> Latest(PipelineDbContext db, Guid runId) =>
        db.Evaluations.Where(e => e.RunId == runId).OrderByDescending(e => e.Id);
}
