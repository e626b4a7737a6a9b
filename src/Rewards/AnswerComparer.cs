namespace Pipeline.Rewards;

/// <summary>The plain side of math answers: normalising an answer's text, and the fast path that compares two plain
/// numbers (<see cref="Rational.TryParse"/>) as exact rationals at once — the demo's arithmetic answers, a few
/// hundred nanoseconds each. Everything else goes to <see cref="Math.MathJudge"/>. Linear in the answer's length.</summary>
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

    /// <summary>True when both normalised answers are plain numbers; <paramref name="equal"/> then says whether
    /// they are the same rational. False (and no verdict) for anything else.</summary>
    public static bool TryCompareNumbers(string answer, string reference, out bool equal)
    {
        equal = false;
        if (!Rational.TryParse(answer, out var a) || !Rational.TryParse(reference, out var b))
            return false;
        equal = a == b;
        return true;
    }

    /// <summary>Trims and joins the words with single spaces ("words" split at <see cref="char.IsWhiteSpace"/>).</summary>
    static string CollapseWhitespace(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    static string WithoutTrailingPeriod(string text) => text.EndsWith('.') ? text[..^1].TrimEnd() : text;
}
