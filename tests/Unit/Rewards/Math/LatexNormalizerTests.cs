using Pipeline.Rewards.Math;

namespace Pipeline.Tests.Unit.Rewards.Math;

public class LatexNormalizerTests
{
    [Theory]
    [InlineData(@"\left( \frac{1}{3} \right)", @"( \frac{1}{3} )")]
    [InlineData(@"\dfrac{1}{3}", @"\frac{1}{3}")]
    [InlineData(@"\cfrac{1}{3}", @"\frac{1}{3}")]
    [InlineData(@"\frac{1}{3} \text{meters}", @"\frac{1}{3}")]
    [InlineData(@"15\mbox{ cm}^2", "15")]
    [InlineData(@"\text{Evelyn}", "\"Evelyn\"")]
    [InlineData(@"6 \text{ and } 8", "6 , 8")]
    [InlineData(@"90^\circ", "90")]
    [InlineData(@"28\%", "28")]
    [InlineData(@"\$1,000.99", "1000.99")]
    [InlineData("7,425,000", "7425000")]
    [InlineData("32, 349", "32, 349")]
    [InlineData(@"14{,}916", "14916")]
    [InlineData(@"1\,000", "1000")]
    [InlineData(@"11,\! 111,\! 111,\! 100", "11111111100")]
    [InlineData("1 000", "1000")]
    [InlineData("(12,102)", "(12,102)")]
    [InlineData(@"x \geq 5", "x ≥ 5")]
    [InlineData(@"x \neq 3", "x ≠ 3")]
    [InlineData("x >= 5", "x ≥ 5")]
    [InlineData(@"a \cdot b \times c \div d", "a * b * c / d")]
    [InlineData(@"1 \pm \sqrt{2}", @"1 ± \sqrt{2}")]
    [InlineData(@"(1, \infty) \cup \{\pi\}", @"(1, ∞) ∪ \{π\}")]
    [InlineData(@"x = 1/3 \approx 0.33", "x = 1/3")]
    [InlineData(@"x \approx 11", "x = 11")]
    [InlineData(@"3\frac{1}{2}", @"(3+\frac{1}{2})")]
    [InlineData("1.5e-3", "1.5*10^{-3}")]
    [InlineData("21,16 or 11", "21,16,11")]
    [InlineData("0,111", "0,111")]
    public void Rewrites_latex_into_the_parsers_notation(string latex, string normalized) =>
        Assert.Equal(normalized, LatexNormalizer.Normalize(latex, plainText: false));

    [Theory]
    [InlineData("0,111", "0.111")]
    [InlineData("1000,99", "1000.99")]
    [InlineData("2,74", "2.74")]
    [InlineData("(1,2)", "(1,2)")]                    // in brackets, a pair
    [InlineData("1,000", "1000")]
    public void In_plain_text_a_comma_that_is_no_thousands_separator_is_a_decimal_comma(string text, string normalized) =>
        Assert.Equal(normalized, LatexNormalizer.Normalize(text, plainText: true));
}
