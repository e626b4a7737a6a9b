namespace Pipeline.Orchestration.Chaos;

/// <summary>A fault as it happened: seconds after the run started, its kind and its target.</summary>
public sealed record ChaosFaultRecord(double AtSeconds, string Kind, string Target);

/// <summary>The JSON record of a chaos run (<c>pipeline chaos --json</c>; snake_case names): the faults injected and
/// what the end checks found. <see cref="Passed"/> only when every check held.</summary>
public sealed record ChaosReport(
    int Seed,
    IReadOnlyList<ChaosFaultRecord> Faults,
    string Status,
    int GroupsExpected,
    int GroupsStored,
    int GroupsTrainedTwice,
    int GroupsLost,
    int Versions,
    bool VersionsInOrder,
    long ErrorQueueMessages,
    bool ReplayIdentical,
    bool Passed)
{
    public static ChaosReport From(int seed, IReadOnlyList<ChaosFaultRecord> faults, ChaosFindings findings) => new(
        seed, faults, findings.Status, findings.GroupsExpected, findings.GroupsStored, findings.GroupsTrainedTwice, findings.GroupsLost,
        findings.Versions, findings.VersionsInOrder, findings.ErrorQueueMessages, findings.ReplayIdentical, findings.Failed.Count == 0);
}
