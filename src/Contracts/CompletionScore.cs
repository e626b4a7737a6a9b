namespace Pipeline.Contracts;

/// <summary>The verifier's judgement of one completion: the total reward, its named components
/// (e.g. "accuracy", "format") and a verdict word such as "correct", "wrong-answer" or "bad-format".</summary>
public sealed record CompletionScore
{
    public required int Index { get; init; }
    public required double Reward { get; init; }
    public required IReadOnlyDictionary<string, double> Components { get; init; }
    public required string Verdict { get; init; }
}
