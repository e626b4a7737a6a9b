using System.Diagnostics;
using Microsoft.Extensions.Options;
using Pipeline.Rewards;

namespace Pipeline.Tests.Unit.Rewards;

public class MathScorerTests
{
    static readonly MathScorer Scorer = new(Options.Create(new RewardOptions()));

    [Theory]
    [InlineData("<think>2+2</think><answer>4</answer>", "4", 1.5, 1, 1, "equivalent")]
    [InlineData("<think>2+2</think><answer>5</answer>", "4", 0.5, 0, 1, "not-equivalent")]
    [InlineData("<think>2+2</think><answer>3</answer><answer>4</answer>", "4", 1.0, 1, 0, "equivalent,bad-format")]
    [InlineData("<think>2+2</think><answer>4</answer><answer>3</answer>", "4", 0.0, 0, 0, "not-equivalent,bad-format")]
    [InlineData("<think>2+2</think> The answer is 4", "4", 0.0, 0, 0, "no-answer,bad-format")]
    [InlineData("2+2 = \\boxed{4}", "4", 1.0, 1, 0, "equivalent,bad-format")]
    [InlineData("so \\boxed{\\frac{1}{2}}", "0.5", 1.0, 1, 0, "equivalent,bad-format")]
    [InlineData("<think>a half</think><answer>0.5</answer>", "1/2", 1.5, 1, 1, "equivalent")]
    [InlineData("<think>a half</think><answer>2/4</answer>", "0.5", 1.5, 1, 1, "equivalent")]
    [InlineData("<think>a half</think><answer>\\boxed{1/2}</answer>", "2/4", 1.5, 1, 1, "equivalent")]
    [InlineData("<think>4</think><answer>4</answer> Hope this helps!", "4", 1.0, 1, 0, "equivalent,bad-format")]
    [InlineData("<think>a</think><think>b</think><answer>4</answer>", "4", 1.0, 1, 0, "equivalent,bad-format")]
    [InlineData("<think>hmm</think><answer></answer>", "4", 0.0, 0, 0, "no-answer,bad-format")]
    [InlineData("<think>hmm</think><answer>.</answer>", "4", 0.5, 0, 1, "no-answer")]
    [InlineData("<think>3-10</think><answer>-7</answer>", "-7", 1.5, 1, 1, "equivalent")]
    [InlineData("<think>3-10</think><answer>7</answer>", "-7", 0.5, 0, 1, "not-equivalent")]
    [InlineData("<think>-3/4</think><answer>-0.75</answer>", "-3/4", 1.5, 1, 1, "equivalent")]
    public void Scores_accuracy_format_and_verdict(string completion, string reference,
        double reward, double accuracy, double format, string verdict)
    {
        var score = Scorer.Score(3, completion, reference);

        Assert.Equal(3, score.Index);
        Assert.Equal(reward, score.Reward);
        Assert.Equal(accuracy, score.Components["accuracy"]);
        Assert.Equal(format, score.Components["format"]);
        Assert.Equal(2, score.Components.Count);
        Assert.Equal(verdict, score.Verdict);
    }

    [Fact]
    public void Weights_come_from_the_options()
    {
        var scorer = new MathScorer(Options.Create(new RewardOptions { AccuracyWeight = 2, FormatWeight = 0.25 }));

        Assert.Equal(2.25, scorer.Score(0, "<think>a</think><answer>4</answer>", "4").Reward);
        Assert.Equal(2.0, scorer.Score(0, "\\boxed{4}", "4").Reward);
        Assert.Equal(0.25, scorer.Score(0, "<think>a</think><answer>5</answer>", "4").Reward);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(".")]
    public void An_empty_reference_cannot_be_scored(string reference) =>
        Assert.Throws<ScoringInputException>(() => Scorer.Score(0, "<think>a</think><answer>4</answer>", reference));

    public static TheoryData<string, string> MegabyteCompletions()
    {
        const int size = 1 << 20;
        static string Fill(string unit) => string.Concat(Enumerable.Repeat(unit, size / unit.Length + 1))[..size];
        return new TheoryData<string, string>
        {
            { "well-formed", "<think>" + Fill("step by step ") + "</think><answer>4</answer>" },
            { "answer tags", Fill("<answer>") },
            { "answer pairs", Fill("<answer>1</answer>") },
            { "think tags", Fill("<think>") },
            { "boxed openers", Fill("\\boxed{") },
            { "nested boxed", Fill("\\boxed{") + new string('}', 1000) },
            { "braces", Fill("{") + Fill("}") },
            { "backslashes", Fill("\\") },
            { "digits", "<think>a</think><answer>" + Fill("9") + "</answer>" },
            { "boxed digits", "\\boxed{" + Fill("1,234") + "}" },
            { "whitespace", "<think>a</think><answer>4</answer>" + Fill(" \n") },
            { "angle brackets", Fill("<") },
            { "closing tags", "<answer>" + Fill("</answer>") },
            { "tag prefixes", "<think>" + Fill("<t</a") + "</think><answer>4</answer>" },
            { "words in the answer", "<think>a</think><answer>" + Fill("a ") + "</answer>" },
            { "huge fraction", "<answer>\\frac{" + Fill("1") + "}{2}</answer>" },
        };
    }

    [Theory]
    [MemberData(nameof(MegabyteCompletions))]
    public void A_megabyte_completion_scores_well_under_a_second(string shape, string completion)
    {
        Scorer.Score(0, "<think>warm</think><answer>1</answer>", "1");
        var clock = Stopwatch.StartNew();
        var score = Scorer.Score(0, completion, "4");
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"{shape}: {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Contains(score.Verdict.Split(',')[0], new[] { "equivalent", "not-equivalent", "no-answer", "unparsable", "too-complex" });
    }

    [Fact]
    public void The_well_formed_megabyte_completion_is_still_correct()
    {
        var completion = "<think>" + new string('x', 1 << 20) + "</think><answer>4</answer>";
        Assert.Equal("equivalent", Scorer.Score(0, completion, "4").Verdict);
    }

    [Fact]
    public void Kind_is_math_with_arithmetic_as_alias()
    {
        ICompletionScorer scorer = Scorer;
        Assert.Equal("math", scorer.Kind);
        Assert.Equal(["arithmetic"], scorer.Aliases);
    }
}
