namespace Pipeline.Rollout;

/// <summary>Where a published policy version's checkpoint lies and the hash it must have.</summary>
public sealed record PolicyLocation(Guid RunId, int Version, string CheckpointUri, string Sha256);

/// <summary>Finds a version that was published before this worker started listening (a worker that joins
/// mid-run, or a command that overtook its PolicyPublished event). Backed by the run database.</summary>
public interface IPolicyLocator
{
    Task<PolicyLocation?> FindAsync(Guid runId, int version, CancellationToken cancellationToken);
}
