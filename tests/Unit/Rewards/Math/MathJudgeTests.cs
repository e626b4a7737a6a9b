using Pipeline.Rewards.Math;

namespace Pipeline.Tests.Unit.Rewards.Math;

public class MathJudgeTests
{
    const double Tolerance = 1e-6;

    static string Verdict(string answer, string reference) => MathJudge.Judge(answer, reference, Tolerance).Verdict;

    [Theory]
    [InlineData(@"1 + \frac{1}{e}", @"1 - \frac{1}{e}")]    // Math-Verify credits this one; they differ by 2/e
    [InlineData("111", "0,111")]                             // 0,111 is a decimal comma, never 111 thousands
    [InlineData("0,111", "111")]
    [InlineData(@"\{1, 2\}", @"\{1, 2, 3\}")]               // a set missing one element
    [InlineData(@"\{1, 2, 3, 4\}", @"\{1, 2, 3\}")]         // and one with an element too many
    [InlineData("[0, 1)", "(0, 1)")]                         // closed where the reference is open
    [InlineData("(0, 1]", "(0, 1)")]
    [InlineData("x-1", "x+1")]
    [InlineData("(2, 1)", "(1, 2)")]                         // tuples are ordered
    [InlineData("x + y = 5", "5")]                           // a condition, not a value
    [InlineData("x < 1", "x > -1")]
    [InlineData(@"\sqrt{2}", "1.41421")]                     // six digits are not within a relative 1e-6
    [InlineData("2021", @"\pm 2021")]
    [InlineData("12:00", "1:00")]
    [InlineData(@"\frac{1}{2005!}", @"\frac{1}{2006!}")]     // past the factorial bound: too complex, never a match
    public void Near_misses_are_not_credited(string answer, string reference) =>
        Assert.False(MathJudge.Judge(answer, reference, Tolerance).IsMatch, Verdict(answer, reference));

    [Theory]
    [InlineData("x+1", "1+x", MathJudge.Equivalent)]
    [InlineData(@"\frac{x}{7}+\frac{2}{7}", @"\frac{x+2}{7}", MathJudge.Equivalent)]
    [InlineData("28 %", @"28\%", MathJudge.Equivalent)]
    [InlineData(@"1\,000", "1000", MathJudge.Equivalent)]
    [InlineData("x = 5", "5", MathJudge.Equivalent)]
    [InlineData(@"\{-11, -12\}", "-12, -11", MathJudge.Equivalent)]
    [InlineData("(1, 2)", "(1,2)", MathJudge.Equivalent)]
    [InlineData(@"\frac{\sqrt{2}}{2}", @"\sqrt{2}/2", MathJudge.NumericMatch)]
    [InlineData("0.333333", @"\frac{1}{3}", MathJudge.NumericMatch)]
    [InlineData(@"3\frac{1}{2}", "3.5", MathJudge.Equivalent)]
    [InlineData("1.5e3", "1500", MathJudge.Equivalent)]
    [InlineData(@"\text{(C)}", "C", MathJudge.Equivalent)]
    [InlineData(@"5 \geq x", @"x \leq 5", MathJudge.Equivalent)]
    [InlineData("-x > -1", "x < 1", MathJudge.Equivalent)]
    [InlineData(@"\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}", @"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}", MathJudge.Equivalent)]
    [InlineData("2x^2 - 2x", "2x(x-1)", MathJudge.Equivalent)]
    [InlineData("1.4142", @"\sqrt{2}", MathJudge.NotEquivalent)]
    [InlineData("x-1", "x+1", MathJudge.NotEquivalent)]
    [InlineData(@"\frac{", "3", MathJudge.Unparsable)]
    public void Verdicts_say_why(string answer, string reference, string verdict) =>
        Assert.Equal(verdict, Verdict(answer, reference));

    public static TheoryData<string, string> SlowInputs()
    {
        static string Repeat(string unit, int times) => string.Concat(Enumerable.Repeat(unit, times));
        return new TheoryData<string, string>
        {
            { "a tower of powers", "10^{10^{10}}" },
            { "a taller tower", "2^{2^{2^{2^{2^{2}}}}}" },
            { "a huge factorial", "100000!" },
            { "a factorial of a factorial", "(20!)!" },
            { "a huge exponent", "7^{123456789}" },
            { "deep parentheses", Repeat("(", 500) + "5" + Repeat(")", 500) },
            { "deep braces", Repeat("{", 500) + "5" + Repeat("}", 500) },
            { "roots without braces", Repeat(@"\sqrt", 400) + "{5}" },
            { "signs", Repeat("-", 2000) + "5" },
            { "a long answer", Repeat("1+", 3000) + "1" },
            { "many ± signs", Repeat(@"1 \pm ", 20) + "1" },
            { "a matrix power tower", Repeat(@"\begin{pmatrix}1 & 1 \\ 1 & 0\end{pmatrix}", 40) },
            { "a big text", Repeat("x", MathJudge.MaxTextLength + 1) },
        };
    }

    [Theory]
    [MemberData(nameof(SlowInputs))]
    public async Task Inputs_written_to_be_slow_are_too_complex_and_score_nothing(string shape, string answer)
    {
        // A generous bound that only a runaway computation misses; the outcome is what the test is about.
        var judgement = await Task.Run(() => MathJudge.Judge(answer, "5", Tolerance)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(judgement.IsMatch, shape);
        Assert.Contains(judgement.Verdict, new[] { MathJudge.TooComplex, MathJudge.NotEquivalent });
    }

    [Theory]
    [InlineData("10^{10^{10}}")]
    [InlineData("100000!")]
    [InlineData("2^{2^{2^{2^{2^{2}}}}}")]
    public void A_number_too_big_to_compute_is_too_complex(string answer) =>
        Assert.Equal(MathJudge.TooComplex, Verdict(answer, "5"));

    [Fact]
    public void The_explained_forms_are_the_parsed_trees()
    {
        var judgement = MathJudge.Judge(@"$\boxed{\frac{1}{2} + x}$", "x + 0.5", Tolerance);

        Assert.Equal(MathJudge.Equivalent, judgement.Verdict);
        Assert.Equal("(x + 1/2 (decimal))", judgement.ReferenceForm);
        Assert.Equal("((1 / 2) + x)", judgement.AnswerForm);
    }

    [Fact]
    public void An_unreadable_reference_matches_only_the_same_text()
    {
        Assert.Equal(MathJudge.Equivalent, Verdict(@"\foo{bar}", @"\foo{bar}"));
        Assert.Equal(MathJudge.Unparsable, Verdict(@"\foo{baz}", @"\foo{bar}"));
    }
}
