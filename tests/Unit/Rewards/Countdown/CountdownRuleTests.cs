using Pipeline.Rewards.Countdown;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Tests.Unit.Rewards.Countdown;

public sealed class CountdownRuleTests
{
    static string Judge(string? answer, string reference)
    {
        Assert.True(CountdownPuzzle.TryParseReference(reference, out var puzzle));
        return CountdownRule.Judge(answer, puzzle);
    }

    [Theory]
    // (3 + 7) × (50 − 25) = 10 × 25 = 250
    [InlineData("(3+7)*(50-25)", "3,7,25,50=250")]
    [InlineData("((3+7)*(50-25))", "3,7,25,50=250")]
    [InlineData("(50-25)*(7+3)", "3,7,25,50=250")]
    [InlineData("(3+7)*(50-25) = 250", "3,7,25,50=250")]
    [InlineData("(3 + 7) \u00D7 (50 \u2212 25)", "3,7,25,50=250")]
    [InlineData(" (3+7)\n*\n(50-25) ", "3,7,25,50=250")]
    // 25 × 3 + 7 − 3 = 79, a repeated number used as often as given
    [InlineData("25*3+7-3", "3,3,7,25=79")]
    // Fractions on the way: 7/3·3 = 7, 8/(3 − 8/3) = 24, 5·(5 − 1/5) = 24
    [InlineData("(7/3)*3", "3,3,7=7")]
    [InlineData("7\u00F73\u00D73", "3,3,7=7")]
    [InlineData("8/(3-8/3)", "3,3,8,8=24")]
    [InlineData("5*(5-1/5)", "1,5,5,5=24")]
    [InlineData("99*99*99*99", "99,99,99,99=96059601")]
    public void An_equation_over_exactly_the_numbers_that_reaches_the_target_is_correct(string answer, string reference) =>
        Assert.Equal("correct", Judge(answer, reference));

    [Theory]
    [InlineData("3+7+25+50", "3,7,25,50=250")]            // 85
    [InlineData("(3+7)*(50-25) = 85", "3,7,25,50=250")]   // 250, but it claims another target
    [InlineData("3+7+25+50 = 250", "3,7,25,50=250")]      // claims the target, is 85
    [InlineData("3+7+25+50 = 85", "3,7,25,50=250")]       // a true equation, not the target
    [InlineData("7/(3*3)", "3,3,7=7")]                    // 7/9
    [InlineData("50-25*7-3", "3,7,25,50=250")]            // negative: −128
    public void An_equation_over_exactly_the_numbers_that_misses_is_wrong_value(string answer, string reference) =>
        Assert.Equal("wrong-value", Judge(answer, reference));

    [Theory]
    [InlineData("(3+3)*(50-25)", "3,7,25,50=250")]        // 3 reused, 7 missing
    [InlineData("(3+7)*25", "3,7,25,50=250")]             // 50 missing
    [InlineData("(3+7)*(50-25)*1", "3,7,25,50=250")]      // an extra number
    [InlineData("(3+7)*(50-25)+3-3", "3,7,25,50=250")]    // given numbers used twice
    [InlineData("(3+8)*(50-25)", "3,7,25,50=250")]        // 8 was not given
    [InlineData("25*3+7", "3,3,7,25=79")]                 // one of two 3s missing
    [InlineData("250", "3,7,25,50=250")]                  // the target alone
    [InlineData("7/(3-3)", "3,7,25,50=250")]              // mismatch is judged before the division
    public void Numbers_used_other_than_each_given_one_exactly_once_mismatch(string answer, string reference) =>
        Assert.Equal("numbers-mismatch", Judge(answer, reference));

    [Theory]
    [InlineData("25*7/(3-3)", "3,3,7,25=79")]
    [InlineData("(25+7)/(3-3)", "3,3,7,25=79")]
    [InlineData("25/(3-3)*7", "3,3,7,25=79")]
    public void Dividing_by_zero_is_division_by_zero(string answer, string reference) =>
        Assert.Equal("division-by-zero", Judge(answer, reference));

    [Theory]
    [InlineData("3 + * 4")]
    [InlineData("((3+7)*(50-25)")]
    [InlineData("(3+7))*(50-25)")]
    [InlineData("()")]
    [InlineData("(3+7)x(50-25)")]
    [InlineData("-(3+7)*(25-50)")]
    [InlineData("The answer is (3+7)*(50-25)")]
    public void What_does_not_parse_is_malformed(string answer) =>
        Assert.Equal("malformed", Judge(answer, "3,7,25,50=250"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n ")]
    public void No_answer_or_a_blank_one_is_no_answer(string? answer) =>
        Assert.Equal("no-answer", Judge(answer, "3,7,25,50=250"));

    [Fact]
    public void Past_the_bounds_is_too_complex()
    {
        Assert.Equal("too-complex", Judge(new string('(', 10_000) + "3+7" + new string(')', 10_000), "3,7=10"));
        Assert.Equal("too-complex", Judge(new string('(', 40) + "3+7" + new string(')', 40), "3,7=10"));
        Assert.Equal("too-complex", Judge("3+7" + new string('0', 100), "3,7=10"));
    }
}
