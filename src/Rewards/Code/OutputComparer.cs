namespace Pipeline.Rewards.Code;

/// <summary>Compares a program's stdout with the expected output exactly, after removing trailing whitespace on
/// every line and trailing empty lines on both sides. Leading whitespace, inner whitespace and case all count, so
/// a prefix of the expected output, or extra output, never matches.</summary>
public static class OutputComparer
{
    public static bool Matches(string actual, string expected) =>
        string.Equals(Normalize(actual), Normalize(expected), StringComparison.Ordinal);

    public static string Normalize(string text)
    {
        var lines = text.Split('\n').Select(line => line.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        return string.Join('\n', lines);
    }
}
