using Pipeline.Data.Entities;

namespace Pipeline.Data.Stores;

/// <summary>One row of the dashboard's runs table: the run and its counts.</summary>
/// <param name="LatestVersion">the highest policy version recorded; null before version 0 is</param>
/// <param name="LatestAccuracy">held-out accuracy of the most recent evaluation; null before the first</param>
public sealed record RunOverview(Run Run, int? LatestVersion, int GroupsScored, double? LatestAccuracy);
