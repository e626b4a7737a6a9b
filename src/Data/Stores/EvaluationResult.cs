namespace Pipeline.Data.Stores;

/// <summary>What <c>pipeline eval</c> measured for one policy version on one split.</summary>
public sealed record EvaluationResult
{
    public required Guid RunId { get; init; }
    public required int PolicyVersion { get; init; }
    public required string Split { get; init; }
    public required double Accuracy { get; init; }
    public required double FormatRate { get; init; }
    public required double PassAtK { get; init; }
    public required int K { get; init; }
}
