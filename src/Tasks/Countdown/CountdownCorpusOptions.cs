using System.ComponentModel.DataAnnotations;

namespace Pipeline.Tasks.Countdown;

/// <summary>The shape of Countdown's pretraining corpus of search traces (configuration section "CountdownCorpus"), see
/// <see cref="CountdownCorpus"/>. The defaults give a base that follows the format, writes correct arithmetic in a
/// fixed search order, and mostly answers its first try unchecked: rarely right greedily, sometimes right when
/// sampled.</summary>
public sealed class CountdownCorpusOptions
{
    public const string Section = "CountdownCorpus";

    /// <summary>The most tries a persistent trace makes before it gives up (three numbers have at most 48).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Share of traces that make one try and answer it without checking it against the target.</summary>
    [Range(0.0, 1.0)]
    public double NoCheckRate { get; set; } = 0.55;

    /// <summary>Share of the checking traces that keep trying after a failed check, until a hit or
    /// <see cref="MaxAttempts"/>; the others give up after their first failed check.</summary>
    [Range(0.0, 1.0)]
    public double PersistRate { get; set; } = 0.45;

    /// <summary>Whether pretraining draws its puzzles so that a search's first hit falls on each line equally often
    /// (<see cref="HitBalancedCountdown"/>); off, the natural puzzles, whose hits cluster on lines 3–6.</summary>
    public bool BalanceHitLines { get; set; } = true;
}
