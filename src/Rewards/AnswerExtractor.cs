using static Pipeline.Tasks.TemplateTags;

namespace Pipeline.Rewards;

/// <summary>Finds a completion's final answer (DeepSeek-R1 accuracy reward): the content of the last
/// <c>&lt;answer&gt;…&lt;/answer&gt;</c> pair; where there is no such pair, the argument of the last
/// <c>\boxed{…}</c>. Nothing else counts: "the answer is 42" outside the tags is no answer.</summary>
public static class AnswerExtractor
{
    /// <summary>The raw final answer, or null when the completion gives none. Linear in the completion's length.</summary>
    public static string? FinalAnswer(string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return LastAnswerTagContent(completion) ?? LatexBraces.LastBoxedArgument(completion);
    }

    /// <summary>The content of the last <c>&lt;answer&gt;…&lt;/answer&gt;</c> pair only, or null when there is
    /// none: for answers that are not a single value (a Countdown equation), where <c>\boxed{…}</c> does not
    /// apply. Linear in the completion's length.</summary>
    public static string? TaggedAnswer(string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return LastAnswerTagContent(completion);
    }

    /// <summary>A pair is an <c>&lt;answer&gt;</c> and the first <c>&lt;/answer&gt;</c> after it. The last pair
    /// opens at the last <c>&lt;answer&gt;</c> that some <c>&lt;/answer&gt;</c> follows: in
    /// <c>&lt;answer&gt;a&lt;answer&gt;b&lt;/answer&gt;</c> it holds "b", and an unclosed last
    /// <c>&lt;answer&gt;</c> (a truncated completion) leaves the previous pair as the final one.</summary>
    static string? LastAnswerTagContent(ReadOnlySpan<char> text)
    {
        int lastClose = text.LastIndexOf(AnswerClose, StringComparison.Ordinal);
        if (lastClose < 0)
            return null;
        int open = text[..lastClose].LastIndexOf(AnswerOpen, StringComparison.Ordinal);
        if (open < 0)
            return null;
        var content = text[(open + AnswerOpen.Length)..];
        return content[..content.IndexOf(AnswerClose, StringComparison.Ordinal)].ToString();
    }
}
