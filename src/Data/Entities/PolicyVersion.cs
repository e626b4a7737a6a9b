namespace Pipeline.Data.Entities;

/// <summary>A published policy: where its checkpoint lies and the hash readers verify. Keyed by (run, version).</summary>
public sealed class PolicyVersion
{
    public required Guid RunId { get; init; }
    public required int Version { get; init; }
    public required string CheckpointUri { get; init; }
    public required string Sha256 { get; init; }
    public required string Format { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
