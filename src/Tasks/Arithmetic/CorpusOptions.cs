using System.ComponentModel.DataAnnotations;

namespace Pipeline.Tasks.Arithmetic;

/// <summary>How imperfect the pretraining corpus is (configuration section "Corpus"). The defaults give a base
/// policy like DeepSeek-R1-Zero's starting point: it usually follows the format, its greedy answer is often
/// wrong, yet some of its samples are right.</summary>
public sealed class CorpusOptions
{
    public const string Section = "Corpus";

    /// <summary>Fraction of worked solutions that make the systematic mistake (dropped carry / smaller-from-larger).
    /// Above one half, the mistaken habit is the base model's most likely one, so greedy decoding inherits it.</summary>
    [Range(0.0, 1.0)]
    public double MisconceptionRate { get; set; } = 0.6;

    /// <summary>Fraction of samples that break the required format in one of several ways.</summary>
    [Range(0.0, 1.0)]
    public double FormatBreakRate { get; set; } = 0.25;
}
