using Pipeline.Data.Entities;

namespace Pipeline.Data.Stores;

/// <summary>What <c>pipeline runs show</c> prints about one run.</summary>
public sealed record RunSummary
{
    public required Run Run { get; init; }
    public required int PolicyVersions { get; init; }
    public required int? LatestPolicyVersion { get; init; }
    public required int GroupsScored { get; init; }
    public required int GroupsTrainedOn { get; init; }
    public required int GroupsStale { get; init; }
    public long DuplicatesIgnored => Run.DuplicatesIgnored;
    public required Evaluation? LatestEvaluation { get; init; }
}
