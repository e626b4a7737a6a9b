using Pipeline.Rewards.Math;

namespace Pipeline.Tests.Unit.Rewards.Math;

public class MathAnswerExtractorTests
{
    static AnswerCandidate First(string text) => MathAnswerExtractor.Candidates(text).First();

    [Theory]
    [InlineData(@"so $x = \boxed{2}$. Then \boxed{3}.", "3")]
    [InlineData(@"\fbox{7}", "7")]
    [InlineData(@"\boxed{1} and \boxed{2}", "1, 2")]
    [InlineData(@"\boxed{1},\boxed{2},\boxed{3}", "1, 2, 3")]
    [InlineData(@"\boxed{1} no no no no no \boxed{2}", "2")]
    [InlineData(@"\boxed{\frac{1}{2}}", @"\frac{1}{2}")]
    [InlineData(@"Answer \[ 9 \]", " 9 ")]
    [InlineData(@"Answer \( 9 \)", " 9 ")]
    [InlineData(@"Answer $$ 9 $$", " 9 ")]
    [InlineData(@"Answer $ \frac{1}{2} \$ = 3 $", @" \frac{1}{2} \$ = 3 ")]
    [InlineData("$1$ and $2$ and $3$", "1, 2, 3")]
    [InlineData(@"\boxed{200} then \boxed{255}. The final answer is $10,455$. I hope it is correct.", "10,455")]
    [InlineData("Final Answer: The volume of $ABCDEFGH$ is 120. I hope it is correct.", "120")]
    [InlineData(@"\\boxed{004}", "004")]                       // an over-escaped backslash
    public void Finds_the_final_answer(string text, string answer) =>
        Assert.Equal(answer, First(text).Text);

    [Theory]
    [InlineData("the number is not 10 which is 1,000.99€", "1,000.99")]
    [InlineData("Soucis : 2,74 $ a..", "2,74")]
    [InlineData("28 percent", "28")]
    public void In_prose_without_math_the_last_number_is_the_answer(string text, string answer)
    {
        var candidate = MathAnswerExtractor.Candidates(text).Last();

        Assert.Equal(answer, candidate.Text);
        Assert.True(candidate.Plain);
    }

    [Theory]
    [InlineData("AZYUK2A")]                                     // a number glued to letters is no number
    [InlineData("Answer $ \n 9 \n $")]                          // inline math does not span lines, and no number is picked out of LaTeX
    public void Some_texts_hold_no_answer(string text) =>
        Assert.DoesNotContain(MathAnswerExtractor.Candidates(text), c => MathParser.TryParse(LatexNormalizer.Normalize(c.Text, c.Plain)) is NumberNode);
}
