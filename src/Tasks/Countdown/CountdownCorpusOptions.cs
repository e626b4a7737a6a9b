using System.ComponentModel.DataAnnotations;

namespace Pipeline.Tasks.Countdown;

/// <summary>The shape of Countdown's pretraining corpus of search traces (configuration section "CountdownCorpus"), see
/// <see cref="CountdownCorpus"/>. The defaults give a base that follows the format, writes correct arithmetic, checks
/// some tries against the target, and mostly gives up too early: rarely right greedily, sometimes right when sampled.</summary>
public sealed class CountdownCorpusOptions
{
    public const string Section = "CountdownCorpus";

    /// <summary>The most tries a trace makes before it gives up; each trace draws how many it is willing to make from
    /// 1..MaxAttempts, more often few than many.</summary>
    [Range(1, 16)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Share of traces in which one of the tries is the puzzle's own solution (so the trace succeeds and shows
    /// what success looks like). From the policy's side that try is as random as any other.</summary>
    [Range(0.0, 1.0)]
    public double SolutionRate { get; set; } = 0.2;

    /// <summary>Share of traces that make one try and answer it without checking it against the target.</summary>
    [Range(0.0, 1.0)]
    public double NoCheckRate { get; set; } = 0.4;
}
