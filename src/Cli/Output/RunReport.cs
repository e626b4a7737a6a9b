using Pipeline.Data.Stores;

namespace Pipeline.Cli.Output;

/// <summary>The contract of <c>pipeline runs show ID --json</c>. <c>policy_versions</c> counts the versions training
/// produced (the base policy, version 0, excluded); <c>final</c> is the held-out evaluation of the latest evaluated
/// version, absent until one exists.</summary>
public sealed record RunReport(
    Guid Id,
    string Name,
    string Status,
    int PolicyVersions,
    int GroupsScored,
    int GroupsExpected,
    int GroupsTrainedOn,
    int GroupsStale,
    long DuplicatesIgnored,
    FinalEvaluation? Final,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    Guid? SourceRunId,
    string? CodeVersion)
{
    public static RunReport From(RunSummary summary) => new(
        summary.Run.Id,
        summary.Run.Name,
        summary.Run.Status.ToString().ToLowerInvariant(),
        summary.LatestPolicyVersion ?? 0,
        summary.GroupsScored,
        summary.Run.GroupsExpected,
        summary.GroupsTrainedOn,
        summary.GroupsStale,
        summary.DuplicatesIgnored,
        summary.LatestEvaluation is { } e ? new FinalEvaluation(e.PolicyVersion, e.Accuracy, e.FormatRate) : null,
        summary.Run.CreatedAt,
        summary.Run.FinishedAt,
        summary.Run.Error,
        summary.Run.SourceRunId,
        summary.Run.CodeVersion);
}

public sealed record FinalEvaluation(int PolicyVersion, double Accuracy, double FormatRate);
