using static Pipeline.Tasks.TemplateTags;

namespace Pipeline.Rewards;

/// <summary>DeepSeek-R1's format reward: the completion (the text after "Assistant:") is exactly one
/// <c>&lt;think&gt;…&lt;/think&gt;</c> followed by exactly one <c>&lt;answer&gt;…&lt;/answer&gt;</c>, with only
/// whitespace before, between and after them, no other think/answer tag anywhere, and an answer that is not
/// blank. The reasoning itself may be empty: the paper constrains the structure, not the content.</summary>
public static class FormatRule
{
    /// <summary>Linear in the completion's length.</summary>
    public static bool IsSatisfied(ReadOnlySpan<char> completion)
    {
        var rest = completion.TrimStart();
        if (!TryTakeBlock(ref rest, ThinkOpen, ThinkClose, out _))
            return false;
        rest = rest.TrimStart();
        if (!TryTakeBlock(ref rest, AnswerOpen, AnswerClose, out var answer))
            return false;
        return rest.IsWhiteSpace() && !answer.IsWhiteSpace();
    }

    /// <summary>Takes <c>open … close</c> off the front of <paramref name="rest"/>, where the content up to the
    /// first <paramref name="close"/> holds no template tag.</summary>
    static bool TryTakeBlock(ref ReadOnlySpan<char> rest, string open, string close, out ReadOnlySpan<char> content)
    {
        content = default;
        if (!rest.StartsWith(open, StringComparison.Ordinal))
            return false;
        rest = rest[open.Length..];
        int end = rest.IndexOf(close, StringComparison.Ordinal);
        if (end < 0)
            return false;
        content = rest[..end];
        rest = rest[(end + close.Length)..];
        return content.IndexOfAny(Any) < 0;
    }
}
