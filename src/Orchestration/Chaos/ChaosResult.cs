namespace Pipeline.Orchestration.Chaos;

/// <summary>What a chaos run produced: the record, and the names of the checks that failed (none when it passed).</summary>
public sealed record ChaosResult(Guid RunId, ChaosReport Report, IReadOnlyList<string> Failed);
