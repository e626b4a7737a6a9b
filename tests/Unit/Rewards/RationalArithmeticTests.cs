using Pipeline.Rewards;

namespace Pipeline.Tests.Unit.Rewards;

public sealed class RationalArithmeticTests
{
    static Rational R(string text) => Rational.TryParse(text, out var value) ? value : throw new FormatException(text);

    [Theory]
    [InlineData("1/2", "1/3", "5/6", "1/6", "1/6", "3/2")]
    [InlineData("7/3", "3", "16/3", "-2/3", "7", "7/9")]
    [InlineData("-3/4", "3/4", "0", "-3/2", "-9/16", "-1")]
    [InlineData("6", "4", "10", "2", "24", "3/2")]
    public void Adds_subtracts_multiplies_and_divides_in_lowest_terms(string a, string b, string sum, string difference,
        string product, string quotient)
    {
        Assert.Equal(sum, Rational.Add(R(a), R(b)).ToString());
        Assert.Equal(difference, Rational.Subtract(R(a), R(b)).ToString());
        Assert.Equal(product, Rational.Multiply(R(a), R(b)).ToString());
        Assert.Equal(quotient, Rational.Divide(R(a), R(b)).ToString());
    }

    [Fact]
    public void Whole_numbers_are_integers_and_fractions_are_not()
    {
        Assert.True(Rational.FromInteger(-12).IsInteger);
        Assert.Equal(R("-12"), Rational.FromInteger(-12));
        Assert.False(R("7/3").IsInteger);
        Assert.True(Rational.Multiply(R("7/3"), R("3")).IsInteger);
    }

    [Fact]
    public void Dividing_by_zero_throws() =>
        Assert.Throws<DivideByZeroException>(() => Rational.Divide(R("1"), Rational.Subtract(R("3"), R("3"))));
}
