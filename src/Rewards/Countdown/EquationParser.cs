using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Pipeline.Rewards.Countdown;

/// <summary>Reads a Countdown answer with a hand-written recursive-descent parser and computes its value in exact
/// rationals while it reads. Nothing is ever evaluated as code: TinyZero checks the answer against a character
/// whitelist and then calls Python's <c>eval</c>, which that whitelist still lets compute <c>9**9**9</c> (a hang);
/// here the grammar has no such operator, and every cost is bounded.
/// <code>
/// equation := expression [ '=' integer ]
/// expression := term { ('+' | '-' | '−') term }
/// term := factor { ('*' | '×' | '/' | '÷') factor }
/// factor := integer | '(' expression ')'
/// integer := '0' | a digit 1-9 followed by digits 0-9
/// </code>
/// Operators are left-associative, '×' and '÷' bind tighter than '+' and '−', and any white space may stand between
/// tokens. Deliberately not accepted, so malformed: a sign in front of a number or bracket (-3, +(4)), since
/// Countdown combines the given numbers with binary operations only — TinyZero's Python accepts them; decimals and
/// exponents; leading zeros (07, which Python 3 rejects too); juxtaposition as multiplication (3(4+5)); the letter
/// x as a times sign, which reads as a variable; '**' and '//'; digits other than ASCII 0-9.
/// Bounds, each answered with <see cref="Verdicts.TooComplex"/> rather than a crash or a hang: at most
/// <see cref="MaxLength"/> characters once trimmed, brackets nested at most <see cref="MaxDepth"/> deep, and every
/// number, and every intermediate value's numerator and denominator, at most <see cref="MaxBits"/> bits long.
/// Without exponentiation 200 characters cannot reach far past that bound anyway; it guards the arithmetic's cost
/// whatever the length limit becomes.</summary>
public static class EquationParser
{
    public const int MaxLength = 200;
    public const int MaxDepth = 32;
    public const int MaxBits = 256;

    /// <summary>Reads <paramref name="text"/>; on failure <paramref name="failure"/> is <see cref="Verdicts.Malformed"/>
    /// or <see cref="Verdicts.TooComplex"/>. A division by zero is no syntax failure: the equation is read
    /// (its numbers are known) and says so in <see cref="ParsedEquation.EvaluationFailure"/>.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ParsedEquation? equation, [NotNullWhen(false)] out string? failure)
    {
        ArgumentNullException.ThrowIfNull(text);
        equation = null;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > MaxLength)
        {
            failure = Verdicts.TooComplex;
            return false;
        }
        var reader = new Reader(trimmed.ToString());
        if (!reader.TryReadEquation(out equation))
        {
            failure = reader.Failure!;
            return false;
        }
        failure = null;
        return true;
    }

    /// <summary>One pass over the text. Each method returns false on a syntax failure (then
    /// <see cref="Failure"/> says which and reading stops); a value is null once evaluation has failed, and the
    /// first such failure is kept in <see cref="_evaluationFailure"/> while reading goes on.</summary>
    sealed class Reader(string text)
    {
        readonly List<BigInteger> _numbers = [];
        int _at, _depth;
        string? _evaluationFailure;

        public string? Failure { get; private set; }

        public bool TryReadEquation([NotNullWhen(true)] out ParsedEquation? equation)
        {
            equation = null;
            if (!Expression(out var value))
                return false;
            BigInteger? rightSide = null;
            if (Peek() == '=')
            {
                _at++;
                if (!Integer(out var claimed))
                    return false;
                rightSide = claimed;
            }
            if (Peek() is not null)
                return Fail(Verdicts.Malformed);
            equation = new ParsedEquation(_numbers, value, _evaluationFailure, rightSide);
            return true;
        }

        bool Expression(out Rational? value)
        {
            if (!Term(out value))
                return false;
            while (Peek() is '+' or '-' or '\u2212')
            {
                char op = text[_at++];
                if (!Term(out var right))
                    return false;
                value = Apply(value, op, right);
            }
            return true;
        }

        bool Term(out Rational? value)
        {
            if (!Factor(out value))
                return false;
            while (Peek() is '*' or '\u00D7' or '/' or '\u00F7')
            {
                char op = text[_at++];
                if (!Factor(out var right))
                    return false;
                value = Apply(value, op, right);
            }
            return true;
        }

        bool Factor(out Rational? value)
        {
            value = null;
            if (Peek() == '(')
            {
                if (++_depth > MaxDepth)
                    return Fail(Verdicts.TooComplex);
                _at++;
                if (!Expression(out value))
                    return false;
                if (Peek() != ')')
                    return Fail(Verdicts.Malformed);
                _at++;
                _depth--;
                return true;
            }
            if (!Integer(out var number))
                return false;
            _numbers.Add(number);
            value = Rational.FromInteger(number);
            return true;
        }

        bool Integer(out BigInteger number)
        {
            number = default;
            Peek();
            int start = _at;
            while (_at < text.Length && char.IsAsciiDigit(text[_at]))
                _at++;
            var digits = text.AsSpan(start, _at - start);
            if (digits.IsEmpty || (digits.Length > 1 && digits[0] == '0'))
                return Fail(Verdicts.Malformed);
            number = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            return number.GetBitLength() <= MaxBits || Fail(Verdicts.TooComplex);
        }

        /// <summary>The value of <c>left op right</c>, or null with the reason kept: an operand already failed, a
        /// division by zero, or a result past <see cref="MaxBits"/>.</summary>
        Rational? Apply(Rational? left, char op, Rational? right)
        {
            if (left is not { } a || right is not { } b)
                return null;
            if (op is '/' or '\u00F7' && b.IsZero)
            {
                _evaluationFailure ??= Verdicts.DivisionByZero;
                return null;
            }
            var result = op switch
            {
                '+' => Rational.Add(a, b),
                '-' or '\u2212' => Rational.Subtract(a, b),
                '*' or '\u00D7' => Rational.Multiply(a, b),
                _ => Rational.Divide(a, b),
            };
            if (BigInteger.Abs(result.Numerator).GetBitLength() <= MaxBits && result.Denominator.GetBitLength() <= MaxBits)
                return result;
            _evaluationFailure ??= Verdicts.TooComplex;
            return null;
        }

        /// <summary>Skips white space and returns the next character, or null at the end.</summary>
        char? Peek()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
                _at++;
            return _at < text.Length ? text[_at] : null;
        }

        bool Fail(string verdict)
        {
            Failure = verdict;
            return false;
        }
    }
}
