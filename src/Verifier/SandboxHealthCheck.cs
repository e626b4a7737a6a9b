using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Sandboxing;

namespace Pipeline.Verifier;

/// <summary>/health of a verifier says whether it serves code tasks: Degraded, with the probe's reason, while the
/// sandbox cannot be established (math is still scored), so an operator sees a broken sandbox instead of a green
/// verifier that refuses every code task. Checking also retries an earlier failure once it is old enough
/// (<see cref="SandboxOptions.RetrySeconds"/>).</summary>
public sealed class SandboxHealthCheck(SandboxProvider sandboxes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var availability = await sandboxes.CheckAsync(cancellationToken);
        return availability.Available
            ? HealthCheckResult.Healthy(availability.Detail)
            : HealthCheckResult.Degraded($"code tasks are refused: {availability.Detail}");
    }
}
