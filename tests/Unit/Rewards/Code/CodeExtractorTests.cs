using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;

namespace Pipeline.Tests.Unit.Rewards.Code;

public sealed class CodeExtractorTests
{
    [Fact]
    public void Takes_the_python_block_inside_the_answer()
    {
        var found = CodeExtractor.Extract("<think>plan</think><answer>\n```python\nprint(1)\n```\n</answer>");
        Assert.True(found.Found);
        Assert.Equal("print(1)\n", found.Program);
        Assert.Null(found.Failure);
    }

    [Theory]
    [InlineData("```\nprint(2)\n```")]
    [InlineData("```py\nprint(2)\n```")]
    [InlineData("```Python3 \nprint(2)\n```")]
    [InlineData("Here it is: ```python\nprint(2)\n```")]
    public void Accepts_bare_and_python_fences(string answer)
    {
        Assert.Equal("print(2)\n", CodeExtractor.Extract($"<answer>{answer}</answer>").Program);
    }

    [Fact]
    public void Takes_the_last_block_of_the_last_answer()
    {
        var completion = "<answer>```python\nprint('first answer')\n```</answer>\n" +
                         "<answer>draft:\n```python\nprint('draft')\n```\nfinal:\n```python\nprint('final')\n```</answer>";
        Assert.Equal("print('final')\n", CodeExtractor.Extract(completion).Program);
    }

    [Fact]
    public void Ignores_code_outside_the_answer()
    {
        var completion = "<think>```python\nprint('thinking')\n```</think><answer>```python\nprint('answer')\n```</answer>" +
                         "\n```python\nprint('after')\n```";
        Assert.Equal("print('answer')\n", CodeExtractor.Extract(completion).Program);
    }

    [Theory]
    [InlineData("```python\nprint(1)\n```", "no <answer> block")]
    [InlineData("<answer>```python\nprint(1)\n```", "not closed")]
    [InlineData("<answer>print(1)</answer>", "no fenced code block")]
    [InlineData("<answer>```python\nprint(1)\n</answer>", "no fenced code block")]
    [InlineData("<answer>```python\n   \n```</answer>", "empty")]
    [InlineData("<answer>```python\nprint(1)\n```\n```bash\nrm -rf /\n```</answer>", "'bash', not Python")]
    [InlineData("", "no <answer> block")]
    public void AnythingElseIsAFormatFailureWithAReason(string completion, string reason)
    {
        var found = CodeExtractor.Extract(completion);
        Assert.False(found.Found);
        Assert.Null(found.Program);
        Assert.Contains(reason, found.Failure);
    }

    [Fact]
    public void Refuses_programs_that_cannot_travel_as_an_argument()
    {
        var huge = new string('#', CodeExtractor.MaxProgramChars + 1);
        Assert.Contains("longer than", CodeExtractor.Extract($"<answer>```\n{huge}\n```</answer>").Failure);
        Assert.Contains("NUL", CodeExtractor.Extract("<answer>```\nprint(1)\0\n```</answer>").Failure);
    }
}
