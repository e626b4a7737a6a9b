using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;

namespace Pipeline.Tests.Unit.Rewards.Code;

public sealed class OutputComparerTests
{
    [Theory]
    [InlineData("3\n", "3\n")]
    [InlineData("3", "3\n")]
    [InlineData("3\n\n\n", "3")]
    [InlineData("1 2  \n3\t\n", "1 2\n3\n")]
    [InlineData("a\r\nb\r\n", "a\nb\n")]
    [InlineData("", "")]
    [InlineData("\n\n", "")]
    [InlineData("x\n\ny\n", "x\n\ny")]
    public void TrailingWhitespaceAndTrailingNewlinesDoNotMatter(string actual, string expected)
    {
        Assert.True(OutputComparer.Matches(actual, expected));
    }

    [Theory]
    [InlineData("1\n2\n", "1\n2\n3\n")]
    [InlineData("12", "123")]
    [InlineData("", "0\n")]
    [InlineData("1\n2\n3\n4\n", "1\n2\n3\n")]
    [InlineData(" 3\n", "3\n")]
    [InlineData("1  2\n", "1 2\n")]
    [InlineData("x\ny\n", "x\n\ny\n")]
    [InlineData("Fizz\n", "fizz\n")]
    [InlineData("3.0\n", "3\n")]
    public void PrefixesExtrasLeadingAndInnerWhitespaceAndCaseDo(string actual, string expected)
    {
        Assert.False(OutputComparer.Matches(actual, expected));
    }
}
