namespace Pipeline.Rewards;

/// <summary>Brace matching with LaTeX's escapes: a backslash takes the next character with it, so <c>\{</c>,
/// <c>\}</c> and <c>\\</c> never open or close a group.</summary>
static class LatexBraces
{
    public const string Boxed = @"\boxed{";

    /// <summary>The argument of the last complete <c>\boxed{…}</c>, "last" by where it starts (so the inner one of
    /// a nested pair); null when there is none. One pass: a stack of open braces remembers which ones opened a
    /// <c>\boxed</c>, so an unclosed <c>\boxed{</c> (a truncated completion) is simply never completed.</summary>
    public static string? LastBoxedArgument(ReadOnlySpan<char> text)
    {
        var openBraces = new List<int>(); // per unclosed '{': where its \boxed argument starts, or -1
        int bestStart = -1, bestEnd = -1;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\' when text[i..].StartsWith(Boxed, StringComparison.Ordinal):
                    i += Boxed.Length - 1;
                    openBraces.Add(i + 1);
                    break;
                case '\\':
                    i++;
                    break;
                case '{':
                    openBraces.Add(-1);
                    break;
                case '}' when openBraces.Count > 0:
                    int argumentStart = openBraces[^1];
                    openBraces.RemoveAt(openBraces.Count - 1);
                    if (argumentStart > bestStart)
                        (bestStart, bestEnd) = (argumentStart, i);
                    break;
            }
        }
        return bestStart < 0 ? null : text[bestStart..bestEnd].ToString();
    }

    /// <summary>The index of the brace that closes the one at <paramref name="open"/>, or -1.</summary>
    public static int MatchingClose(ReadOnlySpan<char> text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when --depth == 0:
                    return i;
            }
        }
        return -1;
    }
}
