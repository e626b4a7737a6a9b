namespace Pipeline.Rewards;

/// <summary>Decides whether a final answer matches the reference: as exact rationals where both read as
/// numbers (<see cref="Rational.TryParse"/>, plus <c>\frac{a}{b}</c>), otherwise as normalised text compared
/// ordinally. Linear in the answer's length.</summary>
public static class AnswerComparer
{
    /// <summary>Trims, collapses every run of whitespace to one space, drops one trailing period and unwraps a
    /// <c>\boxed{…}</c> that spans the whole answer (models often box inside the answer tags).</summary>
    public static string Normalize(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = CollapseWhitespace(answer);
        text = WithoutTrailingPeriod(text);
        if (text.StartsWith(LatexBraces.Boxed, StringComparison.Ordinal)
            && LatexBraces.MatchingClose(text, LatexBraces.Boxed.Length - 1) == text.Length - 1)
            text = WithoutTrailingPeriod(text[LatexBraces.Boxed.Length..^1].Trim());
        return text;
    }

    /// <summary>True when the two answers, normalised, are the same number or the same text.</summary>
    public static bool Equivalent(string answer, string reference) =>
        NormalizedEquivalent(Normalize(answer), Normalize(reference));

    /// <summary><see cref="Equivalent"/> for answers already passed through <see cref="Normalize"/>.</summary>
    public static bool NormalizedEquivalent(string answer, string reference) =>
        TryParseNumber(answer, out var a) && TryParseNumber(reference, out var b)
            ? a == b
            : string.Equals(answer, reference, StringComparison.Ordinal);

    /// <summary>A plain number (<see cref="Rational.TryParse"/>) or <c>[sign]\frac{a}{b}</c> (also <c>\dfrac</c>,
    /// <c>\tfrac</c>) whose a and b are plain numbers.</summary>
    public static bool TryParseNumber(string text, out Rational value) =>
        TryParseLatexFraction(text, out value) || Rational.TryParse(text, out value);

    static bool TryParseLatexFraction(ReadOnlySpan<char> text, out Rational value)
    {
        value = default;
        bool negative = text is ['-' or '\u2212', ..];
        if (negative || text is ['+', ..])
            text = text[1..];
        foreach (var command in (ReadOnlySpan<string>)[@"\frac{", @"\dfrac{", @"\tfrac{"])
        {
            if (!text.StartsWith(command, StringComparison.Ordinal))
                continue;
            var rest = text[command.Length..];
            int close = rest.IndexOf('}');
            if (close < 0 || close + 1 >= rest.Length || rest[close + 1] != '{' || rest[^1] != '}')
                return false;
            var numeratorText = rest[..close];
            var denominatorText = rest[(close + 2)..^1];
            if (numeratorText.ContainsAny('{', '}') || denominatorText.ContainsAny('{', '}')
                || !Rational.TryParse(numeratorText.Trim(), out var numerator)
                || !Rational.TryParse(denominatorText.Trim(), out var denominator)
                || denominator.IsZero)
                return false;
            value = Rational.Divide(negative ? numerator.Negate() : numerator, denominator);
            return true;
        }
        return false;
    }

    /// <summary>Trims and joins the words with single spaces ("words" split at <see cref="char.IsWhiteSpace"/>).</summary>
    static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    static string WithoutTrailingPeriod(string text) => text.EndsWith('.') ? text[..^1].TrimEnd() : text;
}
