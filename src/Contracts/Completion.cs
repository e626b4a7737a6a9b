namespace Pipeline.Contracts;

/// <summary>One sampled completion. <see cref="TokenIds"/> (little-endian int32) and <see cref="LogProbs"/>
/// (little-endian float32, the behaviour policy's log-probability of each sampled token) travel packed:
/// MassTransit writes a float[] as JSON text, which is about 17× slower. See <c>PackedArrays</c>.</summary>
public sealed record Completion
{
    public required int Index { get; init; }
    public required string Text { get; init; }
    public required byte[] TokenIds { get; init; }
    public required byte[] LogProbs { get; init; }
    public required string FinishReason { get; init; }
}
