using Pipeline.Data.Entities;
using Pipeline.Data.Stores;

namespace Pipeline.Dashboard;

/// <summary>Everything the run page and <c>/api/runs/{id}</c> show of one run.</summary>
public sealed record RunDetails(Run Run, IReadOnlyList<PolicyVersion> Versions, IReadOnlyList<Evaluation> Evaluations,
    IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> Series);
