using Pipeline.Contracts;

namespace Pipeline.Rollout;

/// <summary>Where a published policy version's checkpoint lies and the hash it must have. Both come with every
/// message that needs the version (<see cref="GenerateRollouts"/>, <see cref="PolicyPublished"/>), so a worker that
/// joins mid-run, or a command that overtakes its announcement, needs no database to find it.</summary>
public sealed record PolicyLocation(Guid RunId, int Version, string CheckpointUri, string Sha256)
{
    public static PolicyLocation Of(GenerateRollouts command) =>
        new(command.RunId, command.PolicyVersion, command.PolicyCheckpointUri, command.PolicySha256);

    public static PolicyLocation Of(PolicyPublished published) =>
        new(published.RunId, published.Version, published.CheckpointUri, published.Sha256);
}
