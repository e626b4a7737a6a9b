using Microsoft.EntityFrameworkCore;
using Pipeline.Contracts;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Stores;

/// <summary>Published policy versions of a run; recording the same (run, version) twice is a no-op.</summary>
public sealed class PolicyVersionStore(IDbContextFactory<PipelineDbContext> contexts, TimeProvider time)
{
    public async Task<AddOutcome> AddAsync(PolicyPublished published, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.PolicyVersions.Add(new PolicyVersion
        {
            RunId = published.RunId,
            Version = published.Version,
            CheckpointUri = published.CheckpointUri,
            Sha256 = published.Sha256,
            Format = published.Format,
            CreatedAt = time.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return AddOutcome.Added;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return AddOutcome.Duplicate;
        }
    }

    public async Task<PolicyVersion?> GetAsync(Guid runId, int version, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PolicyVersions.SingleOrDefaultAsync(v => v.RunId == runId && v.Version == version, cancellationToken);
    }

    public async Task<PolicyVersion?> LatestAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PolicyVersions.Where(v => v.RunId == runId).OrderByDescending(v => v.Version)
            .FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PolicyVersion>> ListAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.PolicyVersions.Where(v => v.RunId == runId).OrderBy(v => v.Version).ToListAsync(cancellationToken);
    }
}
