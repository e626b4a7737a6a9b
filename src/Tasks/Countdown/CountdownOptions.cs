using System.ComponentModel.DataAnnotations;

namespace Pipeline.Tasks.Countdown;

/// <summary>Settings of the Countdown task (configuration section "Countdown"): TinyZero's Countdown (Jiayi Pan et
/// al., 2025), where the numbers must be combined with + − × ÷ into an equation equal to the target. By default three
/// or four numbers, as in TinyZero's data set (Countdown-Tasks-3to4), each from 1 to 99.</summary>
public sealed class CountdownOptions : IValidatableObject
{
    public const string Section = "Countdown";

    /// <summary>The fewest numbers a problem gives.</summary>
    [Range(2, 6)]
    public int MinNumbers { get; set; } = 3;

    /// <summary>The most numbers a problem gives; each problem draws its count uniformly from
    /// <see cref="MinNumbers"/>..<see cref="MaxNumbers"/>.</summary>
    [Range(2, 6)]
    public int MaxNumbers { get; set; } = 4;

    /// <summary>Each number is drawn uniformly from 1..MaxNumber. At most 999, so that six of them multiplied
    /// still fit a 64-bit integer while the generator builds its equation.</summary>
    [Range(1, 999)]
    public int MaxNumber { get; set; } = 99;

    /// <summary>Targets are whole numbers from 1 to MaxTarget. A small bound keeps the target near the numbers, so
    /// that most problems need more than a product of everything.</summary>
    [Range(1, 1_000_000)]
    public int MaxTarget { get; set; } = 100;

    /// <summary>Size of the held-out evaluation split.</summary>
    [Range(1, 100_000)]
    public int HeldOutSize { get; set; } = 200;

    /// <summary>Seed of the held-out split; fixed so that every run evaluates on the same problems.</summary>
    public int HeldOutSeed { get; set; } = 20250124;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinNumbers > MaxNumbers)
            yield return new ValidationResult($"MinNumbers ({MinNumbers}) must not exceed MaxNumbers ({MaxNumbers})",
                [nameof(MinNumbers), nameof(MaxNumbers)]);
    }
}
