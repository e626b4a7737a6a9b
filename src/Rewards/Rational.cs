using System.Globalization;
using System.Numerics;
using System.Text;

namespace Pipeline.Rewards;

/// <summary>An exact rational number, always in lowest terms with a positive denominator, so equal values are
/// equal fields. Answers are compared this way rather than as floating point: 0.1 + 0.2 style rounding never
/// decides a reward, and nothing is ever evaluated.</summary>
public readonly struct Rational : IEquatable<Rational>
{
    /// <summary>Longer texts are not read as numbers (they are compared as text instead): big-number arithmetic
    /// is superlinear, and a policy can write an answer of any length.</summary>
    public const int MaxLength = 4096;

    Rational(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
            throw new DivideByZeroException();
        if (denominator.Sign < 0)
            (numerator, denominator) = (-numerator, -denominator);
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        Numerator = numerator / gcd;
        Denominator = denominator / gcd;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    public bool IsZero => Numerator.IsZero;

    public Rational Negate() => new(-Numerator, Denominator);

    public bool IsInteger => Denominator.IsOne;

    public static Rational FromInteger(BigInteger value) => new(value, BigInteger.One);

    /// <exception cref="DivideByZeroException"><paramref name="denominator"/> is zero.</exception>
    public static Rational Of(BigInteger numerator, BigInteger denominator) => new(numerator, denominator);

    public static Rational Add(Rational left, Rational right) =>
        new(left.Numerator * right.Denominator + right.Numerator * left.Denominator, left.Denominator * right.Denominator);

    public static Rational Subtract(Rational left, Rational right) => Add(left, right.Negate());

    public static Rational Multiply(Rational left, Rational right) =>
        new(left.Numerator * right.Numerator, left.Denominator * right.Denominator);

    /// <exception cref="DivideByZeroException"><paramref name="divisor"/> is zero.</exception>
    public static Rational Divide(Rational dividend, Rational divisor) =>
        new(dividend.Numerator * divisor.Denominator, dividend.Denominator * divisor.Numerator);

    /// <summary>Reads <c>[sign] number</c> or <c>[sign] number / [sign] number</c> (spaces allowed around the
    /// slash), where a number is digits with an optional decimal part (<c>12</c>, <c>-3.25</c>, <c>.5</c>,
    /// <c>5.</c>) and the integer part may group thousands with commas (<c>1,234,567</c>, never <c>1,23</c>).
    /// The sign may be '+', '-' or U+2212 (−). No exponents, no spaces elsewhere; the text must already be trimmed.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Rational value)
    {
        value = default;
        if (text.IsEmpty || text.Length > MaxLength)
            return false;
        int slash = text.IndexOf('/');
        if (slash < 0)
            return TryParseDecimal(text, out value);
        if (!TryParseDecimal(text[..slash].TrimEnd(' '), out var numerator)
            || !TryParseDecimal(text[(slash + 1)..].TrimStart(' '), out var denominator)
            || denominator.IsZero)
            return false;
        value = Divide(numerator, denominator);
        return true;
    }

    static bool TryParseDecimal(ReadOnlySpan<char> text, out Rational value)
    {
        value = default;
        bool negative = false;
        if (text is ['+' or '-' or '\u2212', ..])
        {
            negative = text[0] != '+';
            text = text[1..];
        }
        int dot = text.IndexOf('.');
        var integerPart = dot < 0 ? text : text[..dot];
        var fractionPart = dot < 0 ? [] : text[(dot + 1)..];
        if (integerPart.IsEmpty && fractionPart.IsEmpty)
            return false;
        if (fractionPart.ContainsAnyExceptInRange('0', '9'))
            return false;

        var digits = new StringBuilder(integerPart.Length + fractionPart.Length + 1);
        if (!AppendIntegerDigits(integerPart, digits))
            return false;
        digits.Append(fractionPart);

        var numerator = BigInteger.Parse(digits.ToString(), NumberStyles.None, CultureInfo.InvariantCulture);
        value = new Rational(negative ? -numerator : numerator, BigInteger.Pow(10, fractionPart.Length));
        return true;
    }

    /// <summary>Plain digits, or groups of three after a first group of one to three, separated by commas. A first
    /// group of 0 is no thousands group: <c>0,111</c> is not 111.</summary>
    static bool AppendIntegerDigits(ReadOnlySpan<char> text, StringBuilder digits)
    {
        if (text.IsEmpty)
        {
            digits.Append('0');
            return true;
        }
        if (!text.Contains(','))
        {
            digits.Append(text);
            return !text.ContainsAnyExceptInRange('0', '9');
        }
        int group = 0;
        foreach (var range in text.Split(','))
        {
            var part = text[range];
            bool sized = group == 0 ? part.Length is >= 1 and <= 3 && part[0] != '0' : part.Length == 3;
            if (!sized || part.ContainsAnyExceptInRange('0', '9'))
                return false;
            digits.Append(part);
            group++;
        }
        return true;
    }

    public bool Equals(Rational other) => Numerator == other.Numerator && Denominator == other.Denominator;

    public override bool Equals(object? obj) => obj is Rational other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    public static bool operator ==(Rational left, Rational right) => left.Equals(right);

    public static bool operator !=(Rational left, Rational right) => !left.Equals(right);

    public override string ToString() => Denominator.IsOne ? $"{Numerator}" : $"{Numerator}/{Denominator}";
}
