using System.ComponentModel.DataAnnotations;

namespace Pipeline.Tasks.Arithmetic;

/// <summary>Settings of the built-in arithmetic task (configuration section "Task").</summary>
public sealed class ArithmeticOptions
{
    public const string Section = "Task";

    /// <summary>Which operations to draw from: any of '+', '-', '*'. Subtraction keeps the result non-negative;
    /// multiplication multiplies by a single digit (long multiplication would not fit the small policy's context).</summary>
    [Required, RegularExpression(@"^[+\-*]{1,3}$", ErrorMessage = "Task:Operations must be made of '+', '-' and '*'")]
    public string Operations { get; set; } = "+";

    /// <summary>The difficulty: how many digits each operand has (the multiplier of '*' always has one).</summary>
    [Range(1, 9)]
    public int Digits { get; set; } = 3;

    /// <summary>Size of the held-out evaluation split.</summary>
    [Range(1, 100_000)]
    public int HeldOutSize { get; set; } = 200;

    /// <summary>Seed of the held-out split; fixed so that every run evaluates on the same problems.</summary>
    public int HeldOutSeed { get; set; } = 20250122;
}
