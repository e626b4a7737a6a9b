using System.Buffers;

namespace Pipeline.Tasks;

/// <summary>The tags of DeepSeek-R1's template, "&lt;think&gt; reasoning &lt;/think&gt; &lt;answer&gt; answer
/// &lt;/answer&gt;", matched exactly (ordinal, lower case, no attributes or spaces); anything else is text.
/// Searches for them go through the runtime's vectorised string search: linear, no regex.</summary>
public static class TemplateTags
{
    public const string ThinkOpen = "<think>", ThinkClose = "</think>", AnswerOpen = "<answer>", AnswerClose = "</answer>";

    public static readonly SearchValues<string> Any =
        SearchValues.Create([ThinkOpen, ThinkClose, AnswerOpen, AnswerClose], StringComparison.Ordinal);
}
