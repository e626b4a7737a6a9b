using Pipeline.Rewards.Math;

namespace Pipeline.Tests.Unit.Rewards.Math;

public class MathParserTests
{
    [Theory]
    [InlineData("42", "42")]
    [InlineData("-3.25", "-13/4 (decimal)")]
    [InlineData(".5", "1/2 (decimal)")]
    [InlineData(@"\frac{1}{2}", "(1 / 2)")]
    [InlineData(@"\frac12", "(1 / 2)")]
    [InlineData(@"\frac3{4}", "(3 / 4)")]
    [InlineData(@"\sqrt3", "sqrt(3)")]
    [InlineData(@"\sqrt[3]{x}", "root(x, 3)")]
    [InlineData("2^{10}", "(2 ^ 10)")]
    [InlineData("x^2y", "((x ^ 2) * y)")]
    [InlineData("2xy", "((2 * x) * y)")]
    [InlineData("a-b+c", "((a - b) + c)")]
    [InlineData("2*-3", "(2 * -3)")]
    [InlineData("6/2/3", "((6 / 2) / 3)")]
    [InlineData(@"2 \sin b \cos a", "((2 * sin(b)) * cos(a))")]
    [InlineData(@"\tan^2(y)+1", "((tan(y) ^ 2) + 1)")]
    [InlineData("π", "pi")]
    [InlineData("e^x", "(e ^ x)")]
    [InlineData("5!", "5!")]
    [InlineData("|x-2|", "abs((x - 2))")]
    [InlineData("f(x)", "f(x)")]
    [InlineData("p(x)", "(p * x)")]
    [InlineData("a_{37}", "a_37")]
    [InlineData(@"\alpha_1", "alpha_1")]
    [InlineData("204_5", "\"204_5\"")]
    [InlineData("\"Evelyn\"", "\"Evelyn\"")]
    [InlineData("1 ± 2", "(1 ± 2)")]
    [InlineData("±2", "±2")]
    [InlineData("1, 2, 3", "list[1, 2, 3]")]
    [InlineData("(1, 2)", "tuple(1, 2)")]
    [InlineData("(0;0;6)", "tuple(0, 0, 6)")]
    [InlineData(@"\{1, 2\}", "set{1, 2}")]
    [InlineData("{1, 2}", "list[1, 2]")]
    [InlineData("[0, 1)", "[0, 1)")]
    [InlineData("(1, ∞)", "tuple(1, oo)")]
    [InlineData("(x+1)", "(x + 1)")]
    [InlineData("[0, 1] ∪ (2, 3]", "[0, 1] ∪ (2, 3]")]
    [InlineData("7:32", "7 : 32")]
    [InlineData("x ≤ 5", "x ≤ 5")]
    [InlineData("-2 < x ≤ 7", "-2 < x ≤ 7")]
    [InlineData("x ∈ [1, 2]", "x ∈ [1, 2]")]
    [InlineData(@"\begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix}", "matrix[1, 0; 0, 1]")]
    [InlineData(@"\begin{array}{cc}1 & 2 \\ 3 & 4 \\ \end{array}", "matrix[1, 2; 3, 4]")]
    public void Reads_the_grammar(string text, string parsed) =>
        Assert.Equal(parsed, MathParser.TryParse(text)?.ToString());

    [Theory]
    [InlineData(@"\frac{1}")]
    [InlineData("(1, 2")]
    [InlineData("1 +")]
    [InlineData(@"\zzz")]
    [InlineData("[x)")]
    [InlineData("x = = 1")]
    public void Text_outside_the_grammar_is_no_tree(string text) =>
        Assert.Null(MathParser.TryParse(text));
}
