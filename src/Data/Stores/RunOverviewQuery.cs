using Microsoft.EntityFrameworkCore;

namespace Pipeline.Data.Stores;

/// <summary>The runs with their counts in a few grouped queries (not one query per run), newest first: what the
/// dashboard's runs table and <c>/api/runs</c> show.</summary>
public sealed class RunOverviewQuery(IDbContextFactory<PipelineDbContext> contexts)
{
    public async Task<IReadOnlyList<RunOverview>> ListAsync(int limit = 500, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking().OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(limit)
            .ToListAsync(cancellationToken);
        var ids = runs.Select(r => r.Id).ToList();
        var versions = await db.PolicyVersions.Where(v => ids.Contains(v.RunId)).GroupBy(v => v.RunId)
            .Select(g => new { g.Key, Latest = g.Max(v => v.Version) }).ToDictionaryAsync(x => x.Key, x => x.Latest, cancellationToken);
        var groups = await db.ScoredGroups.Where(g => ids.Contains(g.RunId)).GroupBy(g => g.RunId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var latestIds = await db.Evaluations.Where(e => ids.Contains(e.RunId)).GroupBy(e => e.RunId)
            .Select(g => g.Max(e => e.Id)).ToListAsync(cancellationToken);
        var accuracy = await db.Evaluations.Where(e => latestIds.Contains(e.Id))
            .ToDictionaryAsync(e => e.RunId, e => e.Accuracy, cancellationToken);
        return runs.Select(r => new RunOverview(r, versions.TryGetValue(r.Id, out var v) ? v : null, groups.GetValueOrDefault(r.Id),
            accuracy.TryGetValue(r.Id, out var a) ? a : null)).ToList();
    }
}
