namespace Pipeline.Rewards.Math;

/// <summary>Bounds on the work one answer may cost, so that a completion written to be slow (<c>10^{10^{10}}</c>,
/// deep nesting, <c>1000000!</c>) is answered "too-complex" at once instead of being computed.</summary>
public static class MathLimits
{
    /// <summary>An extracted answer longer than this is not parsed.</summary>
    public const int MaxAnswerLength = 1000;

    /// <summary>Brackets and braces nested deeper than this are not parsed (the parser recurses on them).</summary>
    public const int MaxNesting = 24;

    /// <summary>The largest integer exponent computed exactly; a larger one (in absolute value) is too complex.</summary>
    public const int MaxExponent = 1024;

    /// <summary>The largest numerator or denominator, in bits, any step may produce.</summary>
    public const long MaxBits = 8192;

    /// <summary>The largest n whose n! is computed.</summary>
    public const int MaxFactorial = 300;

    /// <summary>Tree nodes evaluated per judgement, over every test point.</summary>
    public const int MaxWork = 100_000;

    /// <summary>± signs expanded per answer (each doubles the answers compared).</summary>
    public const int MaxPlusMinus = 4;
}

/// <summary>Thrown where an answer passes a bound of <see cref="MathLimits"/>; the judgement is "too-complex".</summary>
public sealed class MathTooComplexException(string message) : Exception(message);
