using System.Numerics;

namespace Pipeline.Rewards.Math;

/// <summary>The value of an expression at one point: an exact <see cref="Rational"/> wherever the arithmetic allows
/// (sums, products, quotients, integer powers, roots of perfect powers, factorials), otherwise a double — the
/// "high-precision numerics" a radical or a transcendental constant forces, compared within
/// <see cref="MathEquivalence.NumericTolerance"/>. <see cref="FromDecimal"/> marks a value written with a decimal point,
/// which may have been rounded by its writer.</summary>
public readonly record struct MathValue(bool IsExact, Rational Exact, double Approximate, bool FromDecimal)
{
    public static MathValue Of(Rational value, bool fromDecimal = false) => new(true, value, ToDouble(value), fromDecimal);

    public static MathValue Approx(double value, bool fromDecimal = false) => new(false, default, value, fromDecimal);

    public static double ToDouble(Rational value)
    {
        // Scaled so that huge numerators and denominators (up to MathLimits.MaxBits) still give a finite quotient.
        long shift = System.Math.Max(0, System.Math.Max(value.Numerator.GetBitLength(), value.Denominator.GetBitLength()) - 1000);
        return (double)(value.Numerator >> (int)shift) / (double)(value.Denominator >> (int)shift);
    }

    public override string ToString() => IsExact ? Exact.ToString() : Approximate.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Throws <see cref="MathTooComplexException"/> where a step produced a number past <see cref="MathLimits.MaxBits"/>.</summary>
    public static Rational Checked(Rational value) =>
        value.Numerator.GetBitLength() > MathLimits.MaxBits || value.Denominator.GetBitLength() > MathLimits.MaxBits
            ? throw new MathTooComplexException($"a number past {MathLimits.MaxBits} bits")
            : value;

    /// <summary>The exact n-th root of a non-negative integer, or null when it is not a perfect n-th power.</summary>
    public static BigInteger? ExactRoot(BigInteger value, int n)
    {
        if (value.Sign < 0 || n < 1)
            return null;
        if (value.IsZero || value.IsOne || n == 1)
            return value;
        // Newton's method from above, in integers.
        var x = BigInteger.One << (int)((value.GetBitLength() + n - 1) / n);
        while (true)
        {
            var next = ((n - 1) * x + value / BigInteger.Pow(x, n - 1)) / n;
            if (next >= x)
                break;
            x = next;
        }
        return BigInteger.Pow(x, n) == value ? x : null;
    }
}
