using System.Diagnostics;
using System.Numerics;
using Pipeline.Rewards;
using Pipeline.Rewards.Countdown;

namespace Pipeline.Tests.Unit.Rewards.Countdown;

public sealed class EquationParserTests
{
    static ParsedEquation Parsed(string text)
    {
        Assert.True(EquationParser.TryParse(text, out var equation, out var failure), $"'{text}' failed: {failure}");
        return equation;
    }

    static string Failure(string text)
    {
        Assert.False(EquationParser.TryParse(text, out _, out var failure), $"'{text}' parsed");
        return failure;
    }

    [Theory]
    [InlineData("3+4", "7")]
    [InlineData("10-3-2", "5")]              // left-associative: (10-3)-2
    [InlineData("8/4/2", "1")]               // (8/4)/2
    [InlineData("2+3*4", "14")]              // × binds tighter than +
    [InlineData("(2+3)*4", "20")]
    [InlineData("((3+7)*(50-25))", "250")]
    [InlineData("50-25*3", "-25")]           // a negative value is a value
    [InlineData("7/3", "7/3")]
    [InlineData("7/3*3", "7")]               // a fraction on the way to a whole number, exactly
    [InlineData("(7/3)*3", "7")]
    [InlineData("8/(3-8/3)", "24")]          // 8 / (1/3)
    [InlineData("5*(5-1/5)", "24")]          // 5 × 24/5
    [InlineData("1/3+1/6", "1/2")]
    [InlineData("0", "0")]
    [InlineData("99*99*99*99", "96059601")]
    public void Computes_the_exact_value(string text, string value)
    {
        var equation = Parsed(text);

        Assert.Null(equation.EvaluationFailure);
        Assert.Equal(value, equation.Value.ToString());
        Assert.Null(equation.RightSide);
    }

    [Theory]
    [InlineData("(3 + 7) \u00D7 (50 \u2212 25)")]      // × and the Unicode minus
    [InlineData("(3+7)×(50−25)")]
    [InlineData("(3+7)*(100\u00F72-25)")]              // ÷
    [InlineData("  ( 3+7 )\n*\t(50 - 25) ")]
    [InlineData("(\u00A03+7\u00A0)*(50-25)")]          // no-break spaces
    [InlineData("(3+7)*(50-25)=250")]
    [InlineData("(3+7)*(50-25) = 250")]
    public void Accepts_unicode_operators_white_space_and_a_trailing_equals(string text)
    {
        var equation = Parsed(text);

        Assert.Equal(Rational.FromInteger(250), equation.Value);
    }

    [Fact]
    public void Lists_the_numbers_as_written_and_keeps_the_right_side_apart()
    {
        var equation = Parsed("(25 - 3) * 7 + 50 = 204");

        Assert.Equal([25, 3, 7, 50], equation.Numbers.Select(n => (int)n));
        Assert.Equal(new BigInteger(204), equation.RightSide);
        Assert.Equal(Rational.FromInteger(204), equation.Value);
    }

    [Theory]
    [InlineData("3 + * 4")]
    [InlineData("(3+7")]
    [InlineData("3+7)")]
    [InlineData("((3+7)*(50-25)")]
    [InlineData("()")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("3 4")]
    [InlineData("3+")]
    [InlineData("*3")]
    [InlineData("-3+7")]             // no unary signs
    [InlineData("+3+7")]
    [InlineData("3-(-7)")]
    [InlineData("07+3")]             // no leading zeros
    [InlineData("3.5+1")]            // whole numbers only
    [InlineData("1e3")]
    [InlineData("2**3")]             // no exponentiation
    [InlineData("7//2")]
    [InlineData("3(4+5)")]           // no juxtaposition
    [InlineData("3x7")]              // x is a letter, not a times sign
    [InlineData("3 X 7")]
    [InlineData("seven")]
    [InlineData("\uFF13+4")]         // a full-width digit
    [InlineData("3+4=")]
    [InlineData("=7")]
    [InlineData("3+4==7")]
    [InlineData("3+4=7=7")]
    [InlineData("3+4=(7)")]          // the right side is one number
    [InlineData("3+4=-7")]
    [InlineData("3+4.")]
    [InlineData("3,4")]
    [InlineData("[3+4]")]
    public void Rejects_what_is_not_an_equation_as_malformed(string text) =>
        Assert.Equal(Verdicts.Malformed, Failure(text));

    [Fact]
    public void A_division_by_zero_is_read_to_the_end_and_reported_as_such()
    {
        var equation = Parsed("7/(3-3) + 25");

        Assert.Equal(Verdicts.DivisionByZero, equation.EvaluationFailure);
        Assert.Null(equation.Value);
        Assert.Equal([7, 3, 3, 25], equation.Numbers.Select(n => (int)n));
    }

    [Theory]
    [InlineData("1/0")]
    [InlineData("5\u00F70")]
    [InlineData("3/(7-7)")]
    [InlineData("(3/(2-2))*0")]      // zero times nothing is still nothing
    public void Division_by_zero_anywhere_is_reported(string text) =>
        Assert.Equal(Verdicts.DivisionByZero, Parsed(text).EvaluationFailure);

    [Fact]
    public void An_answer_longer_than_the_bound_is_too_complex()
    {
        Assert.Equal(Verdicts.TooComplex, Failure(string.Concat(Enumerable.Repeat("1+", 100)) + "1"));  // 201 characters
        Assert.Equal(Verdicts.TooComplex, Failure(new string('(', 5000) + "1" + new string(')', 5000)));
        // Surrounding white space is not counted.
        Assert.Null(Parsed(new string(' ', 1000) + "1+2" + new string('\n', 1000)).EvaluationFailure);
    }

    [Fact]
    public void Brackets_nested_deeper_than_the_bound_are_too_complex()
    {
        Assert.Equal(Rational.FromInteger(1), Parsed(new string('(', 32) + "1" + new string(')', 32)).Value);
        Assert.Equal(Verdicts.TooComplex, Failure(new string('(', 33) + "1" + new string(')', 33)));
    }

    [Fact]
    public void A_number_longer_than_the_bound_is_too_complex()
    {
        // 2^256 has 78 digits and 257 bits; 2^256 - 1 has 256 bits.
        var limit = BigInteger.Pow(2, 256);
        Assert.Equal(Rational.FromInteger(1), Parsed((limit - 1).ToString() + "/" + (limit - 1).ToString()).Value);
        Assert.Equal(Verdicts.TooComplex, Failure(limit.ToString() + "+1"));
        Assert.Equal(Verdicts.TooComplex, Failure("1" + new string('0', 150)));
    }

    [Fact]
    public void An_intermediate_value_past_the_bound_is_too_complex()
    {
        // Each factor has 20 digits (66 bits): three make 199 bits, four make 266.
        var factor = new string('9', 20);
        Assert.Null(Parsed(string.Join("*", Enumerable.Repeat(factor, 3))).EvaluationFailure);
        Assert.Equal(Verdicts.TooComplex, Parsed(string.Join("*", Enumerable.Repeat(factor, 4))).EvaluationFailure);
        // Denominators are bounded as well: 1/(99·99·…), 40 factors of 99 (265 bits), fits the length limit.
        Assert.Equal(Verdicts.TooComplex, Parsed("1/" + string.Join("/", Enumerable.Repeat("99", 40))).EvaluationFailure);
    }

    [Fact]
    public void Hostile_inputs_are_answered_quickly()
    {
        string[] inputs =
        [
            new string('(', 10_000),
            new string('9', 10_000),
            string.Concat(Enumerable.Repeat("9*", 5_000)),
            "(" + string.Concat(Enumerable.Repeat("99*", 60)) + "99)",
            string.Concat(Enumerable.Repeat("((", 16)) + string.Concat(Enumerable.Repeat("99*", 30)),
            new string(' ', 1 << 20),
        ];
        EquationParser.TryParse("1+1", out _, out _);
        var clock = Stopwatch.StartNew();
        foreach (var input in inputs)
            EquationParser.TryParse(input, out _, out _);
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"{clock.Elapsed.TotalMilliseconds:F0} ms");
    }
}
