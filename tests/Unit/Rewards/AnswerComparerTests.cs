using System.Numerics;
using Pipeline.Rewards;

namespace Pipeline.Tests.Unit.Rewards;

public class AnswerComparerTests
{
    static bool? FastPath(string answer, string reference) =>
        AnswerComparer.TryCompareNumbers(AnswerComparer.Normalize(answer), AnswerComparer.Normalize(reference), out bool equal)
            ? equal
            : null;

    [Theory]
    [InlineData("1/2", "0.5")]
    [InlineData("2/4", "1/2")]
    [InlineData("0.50", ".5")]
    [InlineData("-1/2", "-0.5")]
    [InlineData("1/-2", "-0.5")]
    [InlineData("-3", "-3")]
    [InlineData("+3", "3")]
    [InlineData("\u22123", "-3")]
    [InlineData("007", "7")]
    [InlineData("1,234", "1234")]
    [InlineData("-1,234,567.25", "-1234567.25")]
    [InlineData("  42  ", "42")]
    [InlineData("42.", "42")]
    [InlineData("3 / 4", "0.75")]
    [InlineData("\\boxed{12}", "12")]
    [InlineData("0", "-0")]
    [InlineData("123456789012345678901234567890", "123,456,789,012,345,678,901,234,567,890")]
    public void Equal_plain_numbers_match_on_the_fast_path(string answer, string reference) =>
        Assert.True(FastPath(answer, reference));

    [Theory]
    [InlineData("1/3", "0.333333333333333333")]
    [InlineData("0.1", "0.10000000000000001")]
    [InlineData("-3", "3")]
    public void Different_plain_numbers_do_not_match_on_the_fast_path(string answer, string reference) =>
        Assert.False(FastPath(answer, reference));

    [Theory]
    [InlineData("1,23", "123")]       // not a thousands separator
    [InlineData("0,111", "111")]      // a leading group of 0 is no thousands group
    [InlineData("1/0", "1")]
    [InlineData("2+2", "4")]
    [InlineData("1e3", "1000")]
    [InlineData("four", "4")]
    [InlineData("\\frac{1}{2}", "0.5")]
    public void Anything_but_two_plain_numbers_leaves_the_fast_path(string answer, string reference) =>
        Assert.Null(FastPath(answer, reference));

    [Theory]
    [InlineData("  Paris ", "Paris")]
    [InlineData("x  +\n1", "x + 1")]
    [InlineData("Paris.", "Paris")]
    [InlineData("\\boxed{x+1}", "x+1")]
    [InlineData("\\boxed{12.}", "12")]
    public void Normalising_trims_collapses_whitespace_and_unwraps_a_whole_box(string answer, string normalized) =>
        Assert.Equal(normalized, AnswerComparer.Normalize(answer));

    [Fact]
    public void A_rational_is_kept_in_lowest_terms()
    {
        Assert.True(Rational.TryParse("-6/8", out var value));
        Assert.Equal(new BigInteger(-3), value.Numerator);
        Assert.Equal(new BigInteger(4), value.Denominator);
        Assert.Equal("-3/4", value.ToString());
    }

    [Fact]
    public void A_number_longer_than_the_limit_leaves_the_fast_path()
    {
        var huge = "1" + new string('0', Rational.MaxLength);
        Assert.False(Rational.TryParse(huge, out _));
        Assert.Null(FastPath(huge, huge));
    }
}
