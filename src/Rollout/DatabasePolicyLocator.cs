using Pipeline.Data.Stores;

namespace Pipeline.Rollout;

/// <summary>Finds published policy versions in the run database, where the learner records each before announcing it.</summary>
public sealed class DatabasePolicyLocator(PolicyVersionStore versions) : IPolicyLocator
{
    public async Task<PolicyLocation?> FindAsync(Guid runId, int version, CancellationToken cancellationToken)
    {
        var found = await versions.GetAsync(runId, version, cancellationToken);
        return found is null ? null : new PolicyLocation(found.RunId, found.Version, found.CheckpointUri, found.Sha256);
    }
}
