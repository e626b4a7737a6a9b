using System.Text.RegularExpressions;
using Pipeline.Tasks;

namespace Pipeline.Rewards.Code;

/// <summary>The program found in a completion, or why none was.</summary>
public sealed record CodeExtraction(string? Program, string? Failure)
{
    public bool Found => Program is not null;
}

/// <summary>Finds the program in a completion: the last fenced code block (<c>```python</c>, <c>```py</c>,
/// <c>```python3</c> or a bare <c>```</c>) inside the last <c>&lt;answer&gt;…&lt;/answer&gt;</c>. Anything else
/// is a format failure with a reason, never an exception.</summary>
public static partial class CodeExtractor
{
    /// <summary>Programs travel as a command-line argument, whose Linux limit is 128 KiB.</summary>
    public const int MaxProgramChars = 64 * 1024;

    static readonly string[] PythonTags = ["", "python", "py", "python3"];

    public static CodeExtraction Extract(string completion)
    {
        var open = completion.LastIndexOf(TemplateTags.AnswerOpen, StringComparison.Ordinal);
        if (open < 0)
        {
            return Fail("no <answer> block");
        }
        var bodyStart = open + TemplateTags.AnswerOpen.Length;
        var close = completion.IndexOf("</answer>", bodyStart, StringComparison.Ordinal);
        if (close < 0)
        {
            return Fail("the last <answer> is not closed");
        }
        var blocks = Fence().Matches(completion[bodyStart..close]);
        if (blocks.Count == 0)
        {
            return Fail("no fenced code block inside the last <answer>");
        }
        var last = blocks[^1];
        var tag = last.Groups["info"].Value.Trim().ToLowerInvariant();
        if (!PythonTags.Contains(tag))
        {
            return Fail($"the last code block is '{tag}', not Python");
        }
        var program = last.Groups["code"].Value;
        if (string.IsNullOrWhiteSpace(program))
        {
            return Fail("the code block is empty");
        }
        if (program.Length > MaxProgramChars)
        {
            return Fail($"the program is longer than {MaxProgramChars} characters");
        }
        if (program.Contains('\0'))
        {
            return Fail("the program contains a NUL character");
        }
        return new CodeExtraction(program, null);
    }

    static CodeExtraction Fail(string why) => new(null, why);

    // An opening fence, its info string to the end of the line, then everything up to the next fence.
    [GeneratedRegex(@"```(?<info>[^\n`]*)\n(?<code>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Fence();
}
