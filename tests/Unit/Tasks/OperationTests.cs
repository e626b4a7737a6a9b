using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Tests.Unit.Tasks;

public sealed class OperationTests
{
    [Theory]
    [InlineData("12+34", 12, '+', 34, 46)]
    [InlineData("503-278", 503, '-', 278, 225)]
    [InlineData("47*6", 47, '*', 6, 282)]
    [InlineData("-5+3", -5, '+', 3, -2)]
    public void Parse_reads_left_operator_right(string question, long left, char op, long right, long result)
    {
        var parsed = Operation.Parse(question);

        Assert.Equal(new Operation(left, op, right), parsed);
        Assert.Equal(result, parsed.Result);
        Assert.Equal(question, parsed.Question);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("+12")]
    [InlineData("12+")]
    [InlineData("a+b")]
    [InlineData("1+2+3")]
    [InlineData("6/3")]
    [InlineData("What is 2+2?")]
    public void Parse_rejects_anything_else_with_a_format_error_that_quotes_it(string question)
    {
        var error = Assert.Throws<FormatException>(() => Operation.Parse(question));

        Assert.Contains($"'{question}'", error.Message);
    }

    [Fact]
    public void The_result_of_an_unknown_operator_is_an_error()
    {
        Assert.Throws<InvalidOperationException>(() => new Operation(6, '/', 3).Result);
    }
}
