namespace Pipeline.Contracts;

/// <summary>Event: a new policy version is complete in the checkpoint store. Weights never travel in a message:
/// readers fetch <see cref="CheckpointUri"/> and verify <see cref="Sha256"/> before swapping.</summary>
public sealed record PolicyPublished
{
    public required Guid RunId { get; init; }
    public required int Version { get; init; }
    public required string CheckpointUri { get; init; }
    public required string Sha256 { get; init; }
    public required string Format { get; init; }
}
