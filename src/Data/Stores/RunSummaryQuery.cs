using Microsoft.EntityFrameworkCore;

namespace Pipeline.Data.Stores;

public sealed class RunSummaryQuery(IDbContextFactory<PipelineDbContext> contexts)
{
    /// <summary>The run with its counts, or null when no such run exists.</summary>
    public async Task<RunSummary?> GetAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
            return null;

        var versions = db.PolicyVersions.Where(v => v.RunId == runId);
        var groups = db.ScoredGroups.Where(g => g.RunId == runId);
        return new RunSummary
        {
            Run = run,
            PolicyVersions = await versions.CountAsync(cancellationToken),
            LatestPolicyVersion = await versions.MaxAsync(v => (int?)v.Version, cancellationToken),
            GroupsScored = await groups.CountAsync(cancellationToken),
            GroupsTrainedOn = await groups.CountAsync(g => g.TrainedOn, cancellationToken),
            GroupsStale = await groups.CountAsync(g => g.Stale, cancellationToken),
            LatestEvaluation = await EvaluationStore.Latest(db, runId).FirstOrDefaultAsync(cancellationToken),
        };
    }
}
