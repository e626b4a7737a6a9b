using Pipeline.Rewards;
using Pipeline.Rewards.Math;

namespace Pipeline.Tests.Unit.Rewards.Math;

public class MathEvaluatorTests
{
    static MathValue Value(string text, params (string Name, int Numerator, int Denominator)[] point)
    {
        var tree = MathParser.TryParse(text) ?? throw new ArgumentException(text);
        var values = point.ToDictionary(p => p.Name, p => Rational.Of(p.Numerator, p.Denominator));
        return new MathEvaluator(values, new MathEvaluator.Budget()).Evaluate(tree);
    }

    [Theory]
    [InlineData(@"\frac{1}{2} + \frac{1}{3}", "5/6")]        // 3/6 + 2/6
    [InlineData("2^{10}", "1024")]
    [InlineData("2^{-2}", "1/4")]
    [InlineData("(4/9)^{1/2}", "2/3")]                       // a perfect square stays exact
    [InlineData(@"\sqrt{16/25}", "4/5")]
    [InlineData(@"\sqrt[3]{-27}", "-3")]
    [InlineData("5!", "120")]
    [InlineData("|3-5|", "2")]
    [InlineData("0.1+0.2", "3/10")]                          // exact: no 0.30000000000000004
    public void Exact_arithmetic_stays_exact(string text, string value)
    {
        var result = Value(text);

        Assert.True(result.IsExact, text);
        Assert.Equal(value, result.Exact.ToString());
    }

    [Fact]
    public void Variables_take_the_points_values()
    {
        // x = 1/2, y = -3: x^2 y + 1 = (1/4)(-3) + 1 = 1/4
        Assert.Equal(Rational.Of(1, 4), Value("x^2y + 1", ("x", 1, 2), ("y", -3, 1)).Exact);
    }

    [Theory]
    [InlineData(@"\sqrt{2}", 1.4142135623730951)]
    [InlineData("π/2", 1.5707963267948966)]
    [InlineData(@"\sin(π/6)", 0.5)]
    [InlineData("e^2", 7.38905609893065)]
    public void Radicals_and_transcendentals_are_doubles(string text, double value)
    {
        var result = Value(text);

        Assert.False(result.IsExact);
        Assert.Equal(value, result.Approximate, 12);
    }

    [Theory]
    [InlineData("1/0")]
    [InlineData(@"\sqrt{-4}")]
    [InlineData("(-1)!")]
    [InlineData("(1/2)!")]
    [InlineData("y")]
    [InlineData("(1, 2)")]
    public void Where_there_is_no_value_the_point_is_undefined(string text) =>
        Assert.Throws<MathUndefinedException>(() => Value(text));

    [Theory]
    [InlineData("10^{10^{10}}")]
    [InlineData("2^{2000}")]
    [InlineData("1000!")]
    [InlineData("(2^{1000})^{1000}")]
    public void Numbers_past_the_bounds_are_too_complex(string text) =>
        Assert.Throws<MathTooComplexException>(() => Value(text));

    [Fact]
    public void The_budget_is_shared_by_every_point_of_a_judgement()
    {
        var tree = MathParser.TryParse(string.Join("+", Enumerable.Repeat("x", 400)))!;
        var budget = new MathEvaluator.Budget();
        var point = new Dictionary<string, Rational> { ["x"] = Rational.FromInteger(1) };

        Assert.Throws<MathTooComplexException>(() =>
        {
            for (int i = 0; i < 1000; i++)
                new MathEvaluator(point, budget).Evaluate(tree);
        });
    }

    [Fact]
    public void An_unknown_function_is_the_same_at_the_same_arguments_and_differs_elsewhere()
    {
        Assert.Equal(Value("f(2)").Exact, Value("f(2)").Exact);
        Assert.NotEqual(Value("f(2)").Exact, Value("f(3)").Exact);
        Assert.NotEqual(Value("f(2)").Exact, Value("g(2)").Exact);
    }
}
