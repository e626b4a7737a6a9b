namespace Pipeline.Orchestration.Chaos;

/// <summary>What the end checks of a chaos run found; <see cref="Failed"/> names every check that did not hold.</summary>
public sealed record ChaosFindings
{
    public required string Status { get; init; }
    public int GroupsExpected { get; init; }
    public int GroupsStored { get; init; }
    public int GroupsTrainedTwice { get; init; }
    public int GroupsLost { get; init; }
    public int Versions { get; init; }
    public bool VersionsInOrder { get; init; }
    public long ErrorQueueMessages { get; init; }
    public bool ReplayIdentical { get; init; }
    public required IReadOnlyList<string> Failed { get; init; }
}
