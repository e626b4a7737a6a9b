namespace Pipeline.Data.Entities;

/// <summary>A held-out evaluation of one policy version of a run.</summary>
public sealed class Evaluation
{
    public long Id { get; init; }
    public required Guid RunId { get; init; }
    public required int PolicyVersion { get; init; }
    public required string Split { get; init; }
    public required double Accuracy { get; init; }
    public required double FormatRate { get; init; }

    /// <summary>pass@k with k = <see cref="K"/>.</summary>
    public required double PassAtK { get; init; }

    public required int K { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
