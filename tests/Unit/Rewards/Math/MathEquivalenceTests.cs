using Pipeline.Rewards.Math;

namespace Pipeline.Tests.Unit.Rewards.Math;

public class MathEquivalenceTests
{
    static MathOutcome Compare(string reference, string answer, double decimalTolerance = 1e-6) =>
        new MathEquivalence(decimalTolerance).Compare(Parse(reference), Parse(answer));

    static MathNode Parse(string text) => MathParser.TryParse(text) ?? throw new ArgumentException(text);

    [Theory]
    [InlineData("(x+1)^2", "x^2+2x+1")]                      // an identity: equal at every test point
    [InlineData("1/(x-1) - 1/(x+1)", "2/(x^2-1)")]            // rational functions, exactly
    [InlineData("3/6", "0.5")]
    [InlineData("{1, 2, 3}", "{3, 1, 2}")]
    [InlineData(@"\{1, 2\}", "2, 1")]
    [InlineData("(1, 2)", "{1, 2}")]                          // a bare list against a tuple is read in order
    [InlineData("(0, 1)", "(0, 1)")]
    [InlineData("[0, 1) ∪ (2, 3]", "(2, 3] ∪ [0, 1)")]
    [InlineData("x = 2", "2")]
    [InlineData("f(x) = 2", "2")]
    [InlineData("2", "k = 2")]
    [InlineData("x = 11", "x = 5+5+1 = 11")]                  // a chain of equalities by its ends
    [InlineData("34x+45y-20z+100=0", "-34x-45y+20z-100=0")]   // the same plane: a multiple -1
    [InlineData("x < 1", "-x > -1")]                          // a positive multiple
    [InlineData("-2 ≤ x ≤ 7", "[-2, 7]")]
    [InlineData("-2 ≤ x ≤ 7", "x ∈ [-2, 7]")]
    [InlineData("1 ± 2", "{3, -1}")]
    [InlineData("7:32", "7:32")]
    [InlineData(@"\begin{pmatrix}6 & 8 \\ 10 & 12\end{pmatrix}", @"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix} + \begin{pmatrix}5 & 6 \\ 7 & 8\end{pmatrix}")]
    [InlineData("\"Even\"", "Even")]
    public void Equal_answers_are_equivalent(string reference, string answer) =>
        Assert.Equal(MathOutcome.Equivalent, Compare(reference, answer));

    [Theory]
    [InlineData(@"\sqrt{2}", "2^{1/2}")]
    [InlineData(@"\tan^2(y)+1", @"\sec^2(y)")]
    [InlineData("1/3", "0.3333333")]
    [InlineData(@"\sqrt{17}", "4.123105625617661")]
    public void Equal_within_the_tolerance_is_a_numeric_match(string reference, string answer) =>
        Assert.Equal(MathOutcome.NumericMatch, Compare(reference, answer));

    [Theory]
    [InlineData("x+1", "x-1")]
    [InlineData("(x+1)^2", "x^2+1")]
    [InlineData("{1, 2, 3}", "{1, 2}")]
    [InlineData("(1, 2)", "(2, 1)")]
    [InlineData("(0, 1)", "[0, 1)")]
    [InlineData("[0, 1]", "[0, 1)")]
    [InlineData("x < 1", "x > -1")]
    [InlineData("x < 1", "-x < -1")]                          // a negative multiple turns the inequality around
    [InlineData("x ∈ [-2, 7]", "-2 ≤ x ≤ 7")]                 // not this way round (Math-Verify's default)
    [InlineData("7 = 11a+c", "11a+c")]
    [InlineData("a + 3z = 0", "0")]
    [InlineData("1 ± 2", "3")]
    [InlineData("12:00", "1:00")]
    [InlineData("f(x)", "f(y)")]
    [InlineData("1/3", "0.33")]
    [InlineData("\"Evelyn\"", "Eve")]
    public void Different_answers_are_not_equivalent(string reference, string answer) =>
        Assert.Equal(MathOutcome.NotEquivalent, Compare(reference, answer));

    [Fact]
    public void The_decimal_tolerance_is_configurable()
    {
        Assert.Equal(MathOutcome.NotEquivalent, Compare("1/3", "0.33"));
        Assert.Equal(MathOutcome.NumericMatch, Compare("1/3", "0.33", decimalTolerance: 0.02));  // |0.33 - 1/3| / (1/3) = 0.01
        Assert.Equal(MathOutcome.NotEquivalent, Compare("1/3", "0.35", decimalTolerance: 0.02)); // 1/60 over 0.02 · 0.35
    }
}
