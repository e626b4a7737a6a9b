using System.Text.RegularExpressions;

namespace Pipeline.Rewards.Math;

/// <summary>One way to read an answer out of a text: the text, and whether it came from plain text (no LaTeX
/// delimiters), where a comma between digits may be a decimal comma.</summary>
public readonly record struct AnswerCandidate(string Text, bool Plain);

/// <summary>Finds the final answer inside a text (the answer span of a completion, or a reference) as Math-Verify's
/// extraction does, most specific first; the parser takes the first candidate it can read:
/// <list type="number">
/// <item>the last <c>\boxed{…}</c> or <c>\fbox{…}</c> anywhere, joined with the boxes before it where only
/// separators or "and"/"or" stand between them (<c>\boxed{1} and \boxed{2}</c> is the list 1, 2);</item>
/// <item>— unless a "final answer is" / "the answer is" / "answer:" comes after the last box: then first what
/// follows that phrase in its sentence (after the sentence's last "is"): its math, else its words where they are
/// no prose, else its last number;</item>
/// <item>a number in the prose after the last math environment ("… increases by 100%."), else that environment:
/// <c>$$…$$</c>, <c>\[…\]</c>, and on one line <c>$…$</c> or <c>\(…\)</c>, joined with those before it as boxes
/// are (<c>$1$ and $2$</c>);</item>
/// <item>the whole text, unless it is prose (has a word of three letters or more that is no command); then, in text
/// without math delimiters, its last number (a number glued to letters before it, as in <c>AZYUK2A</c>, is no
/// number).</item>
/// </list>
/// Linear in the text's length.</summary>
public static partial class MathAnswerExtractor
{
    public static IEnumerable<AnswerCandidate> Candidates(string text)
    {
        if (!text.Contains(@"\begin", StringComparison.Ordinal))
            text = DoubledBackslash().Replace(text, @"\");
        var boxes = Boxes(text);
        var phrases = AnswerPhrase().Matches(text);
        var phrase = phrases.Count > 0 ? phrases[^1] : null;
        if (boxes.Count > 0 && (phrase is null || phrase.Index < boxes[^1].End))
        {
            yield return new AnswerCandidate(Joined(boxes, text), false);
            yield break;
        }
        if (phrase is not null)
        {
            var sentence = Sentence(text[(phrase.Index + phrase.Length)..]);
            int lastIs = sentence.LastIndexOf(" is ", StringComparison.Ordinal);
            var tail = lastIs < 0 ? sentence : sentence[(lastIs + 4)..];
            var math = MathEnvironments(tail);
            if (math.Count > 0)
                yield return new AnswerCandidate(Joined(math[..JoinedCount(math, tail, fromFirst: true)], tail), false);
            else if (!Prose().IsMatch(tail))
                yield return new AnswerCandidate(tail, true);
            else if (LastNumber().Matches(tail) is { Count: > 0 } inTail)
                yield return new AnswerCandidate(inTail[^1].Value, true);
        }
        if (boxes.Count > 0)
            yield return new AnswerCandidate(Joined(boxes, text), false);
        var environments = MathEnvironments(text);
        if (environments.Count > 0)
        {
            var after = text[(environments[^1].End + 1)..];
            if (LastNumber().Matches(after) is { Count: > 0 } trailing)
                yield return new AnswerCandidate(trailing[^1].Value, true);
            int count = JoinedCount(environments, text, fromFirst: false);
            yield return new AnswerCandidate(Joined(environments[^count..], text), false);
        }
        if (!Prose().IsMatch(text))
            yield return new AnswerCandidate(text, true);
        if (!HasMathDelimiters(text) && LastNumber().Matches(text) is { Count: > 0 } numbers)
            yield return new AnswerCandidate(numbers[^1].Value, true);
    }

    /// <summary>The boxes (or math environments) as one answer: where only separators or "and"/"or" stand between
    /// them, their contents as a list. <paramref name="parts"/> are already the ones to join.</summary>
    static string Joined(List<(int Start, int End, string Content)> parts, string text)
    {
        int count = JoinedCount(parts, text, fromFirst: false);
        return string.Join(", ", parts.Skip(parts.Count - count).Select(p => p.Content));
    }

    /// <summary>How many consecutive parts form the answer, counted from the last (or the first).</summary>
    static int JoinedCount(List<(int Start, int End, string Content)> parts, string text, bool fromFirst)
    {
        int count = 1;
        if (fromFirst)
        {
            while (count < parts.Count && JoinsBoxes(text[(parts[count - 1].End + 1)..parts[count].Start]))
                count++;
            return count;
        }
        while (count < parts.Count && JoinsBoxes(text[(parts[^(count + 1)].End + 1)..parts[^count].Start]))
            count++;
        return count;
    }

    /// <summary>Text written with math delimiters is LaTeX: where none of its math reads, no number is picked out of
    /// its prose (a lone $ is a currency sign).</summary>
    static bool HasMathDelimiters(string text) =>
        text.Contains(@"\(", StringComparison.Ordinal) || text.Contains(@"\[", StringComparison.Ordinal)
        || text.AsSpan().Count('$') >= 2;

    /// <summary>The top-level <c>\boxed{…}</c> and <c>\fbox{…}</c>: where each starts, where its closing brace is,
    /// and its content.</summary>
    static List<(int Start, int End, string Content)> Boxes(string text)
    {
        var boxes = new List<(int Start, int End, string Content)>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
                continue;
            var rest = text.AsSpan(i);
            int command = rest.StartsWith(@"\boxed", StringComparison.Ordinal) ? 6 : rest.StartsWith(@"\fbox", StringComparison.Ordinal) ? 5 : 0;
            if (command == 0)
            {
                i++;
                continue;
            }
            int open = i + command;
            while (open < text.Length && text[open] == ' ')
                open++;
            if (open >= text.Length || text[open] != '{')
                continue;
            int close = LatexBraces.MatchingClose(text, open);
            if (close < 0)
                break;
            boxes.Add((i, close, text[(open + 1)..close]));
            i = close;
        }
        return boxes;
    }

    /// <summary>Text between two boxes that makes them one answer: nothing but separators, or an "and"/"or".</summary>
    static bool JoinsBoxes(string between) =>
        between.Length <= 80 && (BoxSeparators().Replace(between, "").Length == 0 || AndOr().IsMatch(between));

    /// <summary>The text up to the end of its first sentence (a full stop before a space or the end).</summary>
    static string Sentence(string text)
    {
        var end = SentenceEnd().Match(text);
        return (end.Success ? text[..end.Index] : text).Trim().TrimStart(':').Trim();
    }

    /// <summary>The math environments of the text, in order: where each opens, the index of its closing
    /// delimiter's last character, and its content (empty ones left out).</summary>
    static List<(int Start, int End, string Content)> MathEnvironments(string text)
    {
        var found = new List<(int Start, int End, string Content)>();
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            string? content = null;
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '[' or '(')
            {
                var closer = text[i + 1] == '[' ? @"\]" : @"\)";
                int close = text.IndexOf(closer, i + 2, StringComparison.Ordinal);
                if (close >= 0 && (closer == @"\]" || !text.AsSpan(i + 2, close - i - 2).Contains('\n')))
                {
                    content = text[(i + 2)..close];
                    i = close + 2;
                }
                else
                    i += 2;
            }
            else if (text[i] == '\\')
                i += 2;
            else if (text[i] == '$')
            {
                bool display = i + 1 < text.Length && text[i + 1] == '$';
                int from = i + (display ? 2 : 1);
                int close = FindDollar(text, from, display);
                if (close >= 0 && (display || !text.AsSpan(from, close - from).Contains('\n')))
                {
                    content = text[from..close];
                    i = close + (display ? 2 : 1);
                }
                else
                    i = from;
            }
            else
                i++;
            if (content is not null && content.Trim().Length > 0)
                found.Add((start, i - 1, content));
            if (i == start)
                i++;
        }
        return found;
    }

    /// <summary>The closing $ (or $$) after <paramref name="from"/>, skipping escaped <c>\$</c>.</summary>
    static int FindDollar(string text, int from, bool display)
    {
        for (int j = from; j < text.Length; j++)
        {
            if (text[j] == '\\')
                j++;
            else if (text[j] == '$' && (!display || j + 1 < text.Length && text[j + 1] == '$'))
                return j;
        }
        return -1;
    }

    [GeneratedRegex(@"(?<![\\a-zA-Z])[a-zA-Z]{3,}")]
    private static partial Regex Prose();

    [GeneratedRegex(@"\\\\(?=[a-zA-Z])")]
    private static partial Regex DoubledBackslash();

    [GeneratedRegex(@"(?:final answer|the answer|answer)\s*(?:is|:)\s*:?", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerPhrase();

    [GeneratedRegex(@"\.(?=\s|$)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[\s,;+$]|\\q?quad|\\[(),;!\[\]]|\\text\{\s*\}")]
    private static partial Regex BoxSeparators();

    [GeneratedRegex(@"\b(?:and|or)\b")]
    private static partial Regex AndOr();

    [GeneratedRegex(@"(?<![A-Za-z0-9.,])-?\d+(?:,\d{3})*(?:[.,]\d+)?(?:/\d+)?(?![\d])")]
    private static partial Regex LastNumber();
}
