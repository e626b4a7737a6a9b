using System.Numerics;
using Pipeline.Rewards;

namespace Pipeline.Tests.Unit.Rewards;

public class AnswerComparerTests
{
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
    [InlineData("\\frac{1}{2}", "0.5")]
    [InlineData("-\\dfrac{3}{6}", "-1/2")]
    [InlineData("\\boxed{\\frac{1}{2}}", "2/4")]
    [InlineData("\\boxed{12}", "12")]
    [InlineData("0", "-0")]
    [InlineData("123456789012345678901234567890", "123,456,789,012,345,678,901,234,567,890")]
    public void Equal_numbers_in_different_forms_match(string answer, string reference) =>
        Assert.True(AnswerComparer.Equivalent(answer, reference));

    [Theory]
    [InlineData("1/3", "0.333333333333333333")]
    [InlineData("0.1", "0.10000000000000001")]
    [InlineData("-3", "3")]
    [InlineData("1,23", "123")]
    [InlineData("12,34", "1234")]
    [InlineData("1/0", "1")]
    [InlineData("2+2", "4")]
    [InlineData("1e3", "1000")]
    [InlineData("four", "4")]
    [InlineData("\\frac{1}{0}", "0")]
    public void Different_values_or_unparsed_forms_do_not_match(string answer, string reference) =>
        Assert.False(AnswerComparer.Equivalent(answer, reference));

    [Theory]
    [InlineData("Paris", "  Paris ")]
    [InlineData("x  +\n1", "x + 1")]
    [InlineData("Paris.", "Paris")]
    [InlineData("\\boxed{x+1}", "x+1")]
    public void Text_answers_match_after_normalisation(string answer, string reference) =>
        Assert.True(AnswerComparer.Equivalent(answer, reference));

    [Theory]
    [InlineData("paris", "Paris")]
    [InlineData("x+1", "x + 1")]
    public void Text_comparison_is_exact_beyond_whitespace_runs(string answer, string reference) =>
        Assert.False(AnswerComparer.Equivalent(answer, reference));

    [Fact]
    public void A_rational_is_kept_in_lowest_terms()
    {
        Assert.True(Rational.TryParse("-6/8", out var value));
        Assert.Equal(new BigInteger(-3), value.Numerator);
        Assert.Equal(new BigInteger(4), value.Denominator);
        Assert.Equal("-3/4", value.ToString());
    }

    [Fact]
    public void A_number_longer_than_the_limit_is_compared_as_text()
    {
        var huge = "1" + new string('0', Rational.MaxLength);
        Assert.False(Rational.TryParse(huge, out _));
        Assert.True(AnswerComparer.Equivalent(huge, huge));
        Assert.False(AnswerComparer.Equivalent("0" + huge, huge));
    }
}
