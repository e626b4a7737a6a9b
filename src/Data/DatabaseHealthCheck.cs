using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.Data;

/// <summary>Healthy when the run database answers. (EF Core's own check needs a scoped DbContext; Pipeline
/// registers only a context factory.)</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<PipelineDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the run database does not answer");
    }
}
