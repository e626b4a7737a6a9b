using Microsoft.EntityFrameworkCore;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Stores;

/// <summary>Runs: created running, finished once as completed or failed.</summary>
public sealed class RunStore(IDbContextFactory<PipelineDbContext> contexts, TimeProvider time)
{
    public async Task<Run> CreateAsync(NewRun newRun, CancellationToken cancellationToken = default)
    {
        var run = new Run
        {
            Id = newRun.Id ?? Guid.CreateVersion7(time.GetUtcNow()),
            Name = StoredText.Safe(newRun.Name),
            ConfigJson = StoredText.Safe(newRun.ConfigJson),
            Seed = newRun.Seed,
            GroupsExpected = newRun.GroupsExpected,
            BasePolicySha256 = newRun.BasePolicySha256,
            CodeVersion = newRun.CodeVersion,
            SourceRunId = newRun.SourceRunId,
            SourceScoringRevisionId = newRun.SourceScoringRevisionId,
            CreatedAt = time.GetUtcNow(),
            LeaseOwner = newRun.LeaseOwner,
            LeaseExpiresAt = newRun.LeaseOwner is null ? null : time.GetUtcNow() + newRun.LeaseDuration,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>Records the hash of the base policy a run starts from, once the learner has admitted the run's paths.</summary>
    public async Task SetBasePolicyAsync(Guid runId, string sha256, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Runs.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.BasePolicySha256, sha256), cancellationToken);
    }

    public Task MarkCompletedAsync(Guid runId, CancellationToken cancellationToken = default) =>
        FinishAsync(runId, RunStatus.Completed, error: null, cancellationToken);

    public Task MarkFailedAsync(Guid runId, string error, CancellationToken cancellationToken = default) =>
        FinishAsync(runId, RunStatus.Failed, error, cancellationToken);

    public async Task<Run?> GetAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
    }

    /// <summary>The training runs still marked running, oldest first: what a learner takes up. Replays
    /// (<see cref="Run.SourceRunId"/> set) are not among them: a replay is its command's own work, never a learner's.</summary>
    public async Task<IReadOnlyList<Run>> ListResumableAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Where(r => r.Status == RunStatus.Running && r.SourceRunId == null).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>The most recent runs first.</summary>
    public async Task<IReadOnlyList<Run>> ListAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(limit)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Takes or renews the lease of a running run for <paramref name="owner"/> until now + <paramref name="duration"/>:
    /// granted when no learner holds it, when <paramref name="owner"/> already does, or when the holder's lease has run
    /// out (it died, or lost the database for longer than the lease). One conditional update, so two learners racing for
    /// the same run cannot both win. Learners' clocks must agree to well within the lease's duration.
    /// </summary>
    /// <returns>whether <paramref name="owner"/> holds the lease now; false also for a run that is not running</returns>
    public async Task<bool> TryHoldLeaseAsync(Guid runId, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var until = now + duration;
        int updated = await db.Runs
            .Where(r => r.Id == runId && r.Status == RunStatus.Running
                        && (r.LeaseOwner == null || r.LeaseOwner == owner || r.LeaseExpiresAt == null || r.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, owner).SetProperty(r => r.LeaseExpiresAt, until), cancellationToken);
        return updated == 1;
    }

    /// <summary>Gives the lease up (a learner stopping), so that a standby learner takes the run over at once.</summary>
    public async Task ReleaseLeaseAsync(Guid runId, string owner, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Runs.Where(r => r.Id == runId && r.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTimeOffset?)null),
                cancellationToken);
    }

    /// <summary>Counts one redelivered group that was acknowledged and ignored. Atomic in the database, so
    /// concurrent consumers never lose an increment.</summary>
    public async Task IncrementDuplicatesAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var updated = await db.Runs.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DuplicatesIgnored, r => r.DuplicatesIgnored + 1), cancellationToken);
        if (updated == 0)
            throw new KeyNotFoundException($"run {runId} does not exist");
    }

    async Task FinishAsync(Guid runId, RunStatus status, string? error, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var finishedAt = time.GetUtcNow();
        var safeError = error is null ? null : StoredText.Safe(error);
        var updated = await db.Runs.Where(r => r.Id == runId && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, status)
                .SetProperty(r => r.FinishedAt, finishedAt)
                .SetProperty(r => r.Error, safeError), cancellationToken);
        if (updated == 1)
            return;

        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new KeyNotFoundException($"run {runId} does not exist");
        throw new InvalidOperationException(
            $"run {runId} is already {run.Status.ToString().ToLowerInvariant()}; it cannot become {status.ToString().ToLowerInvariant()}");
    }
}
