using Microsoft.EntityFrameworkCore;
using Pipeline.Data.Entities;

namespace Pipeline.Data.Stores;

/// <summary>Per-step training metrics (loss, reward mean, KL, clip fraction, ...) and the curves read back from them.</summary>
public sealed class MetricStore(IDbContextFactory<PipelineDbContext> contexts, TimeProvider time)
{
    /// <summary>Records one step's values. A step recorded again (a learner resumed from a checkpoint) replaces
    /// the values of the names it repeats, so a curve never holds two points for one step.</summary>
    public async Task AppendStepAsync(
        Guid runId, int step, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken = default)
    {
        if (values.Count == 0)
            return;
        var names = values.Keys.ToList();
        var recordedAt = time.GetUtcNow();

        // Replacing is idempotent, so a try whose commit was lost is simply written again.
        await contexts.InTransactionAsync(async (db, ct) =>
        {
            await db.Metrics.Where(m => m.RunId == runId && m.Step == step && names.Contains(m.Name))
                .ExecuteDeleteAsync(ct);
            db.Metrics.AddRange(values.Select(v => new Metric
            {
                RunId = runId,
                Name = v.Key,
                Step = step,
                Value = v.Value,
                RecordedAt = recordedAt,
            }));
            await db.SaveChangesAsync(ct);
        }, committed: (_, _) => Task.FromResult(false), cancellationToken);
    }

    public async Task<IReadOnlyList<MetricPoint>> GetCurveAsync(
        Guid runId, string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Metrics.Where(m => m.RunId == runId && m.Name == name).OrderBy(m => m.Step)
            .Select(m => new MetricPoint(m.Step, m.Value)).ToListAsync(cancellationToken);
    }

    /// <summary>Every metric of a run from <paramref name="fromStep"/> on, by name, each in step order
    /// (a dashboard polls with the last step it has).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>>> GetCurvesAsync(
        Guid runId, int fromStep = 0, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Metrics.Where(m => m.RunId == runId && m.Step >= fromStep)
            .OrderBy(m => m.Name).ThenBy(m => m.Step).ToListAsync(cancellationToken);
        return rows.GroupBy(m => m.Name).ToDictionary(
            g => g.Key, IReadOnlyList<MetricPoint> (g) => g.Select(m => new MetricPoint(m.Step, m.Value)).ToList());
    }
}
