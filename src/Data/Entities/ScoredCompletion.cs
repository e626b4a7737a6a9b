namespace Pipeline.Data.Entities;

/// <summary>One completion of a <see cref="ScoredGroup"/> with its score. Token ids and log-probs stay packed
/// (little-endian int32 / float32, see <c>Pipeline.Contracts.PackedArrays</c>) in a BLOB / bytea column.</summary>
public sealed class ScoredCompletion
{
    public long ScoredGroupId { get; init; }
    public required int Index { get; init; }
    public required string Text { get; init; }
    public required byte[] TokenIds { get; init; }
    public required byte[] LogProbs { get; init; }
    public required string FinishReason { get; init; }
    public required double Reward { get; init; }

    /// <summary>The reward's named components as a JSON object, e.g. {"accuracy":1,"format":1}.</summary>
    public required string ComponentsJson { get; init; }

    public required string Verdict { get; init; }
}
