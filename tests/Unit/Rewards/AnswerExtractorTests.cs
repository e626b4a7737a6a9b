using Pipeline.Rewards;

namespace Pipeline.Tests.Unit.Rewards;

public class AnswerExtractorTests
{
    [Theory]
    [InlineData("<think>x</think><answer>42</answer>", "42")]
    [InlineData("<answer>1</answer> then <answer>2</answer> finally <answer>3</answer>", "3")]
    [InlineData("<answer> spaced </answer>", " spaced ")]
    [InlineData("<answer></answer>", "")]
    [InlineData("<answer>a<answer>b</answer>", "b")]
    [InlineData("<answer>1</answer></answer>", "1")]
    [InlineData("<answer>1</answer> <answer>2", "1")]
    [InlineData("<answer>5</answer> and \\boxed{6}", "5")]
    public void The_last_answer_pair_wins(string completion, string expected) =>
        Assert.Equal(expected, AnswerExtractor.FinalAnswer(completion));

    [Theory]
    [InlineData("<think>x</think><answer>(3+7)*25</answer>", "(3+7)*25")]
    [InlineData("<answer>1</answer> then <answer>2</answer>", "2")]
    [InlineData("<answer>5</answer> and \\boxed{6}", "5")]
    [InlineData("so \\boxed{7}.", null)]
    [InlineData("no tags", null)]
    public void The_tagged_answer_is_the_last_pair_and_never_a_boxed_one(string completion, string? expected) =>
        Assert.Equal(expected, AnswerExtractor.TaggedAnswer(completion));

    [Theory]
    [InlineData("The answer is 42.")]
    [InlineData("<think>42</think> so 42")]
    [InlineData("<answer>42")]
    [InlineData("42</answer>")]
    [InlineData("<Answer>42</Answer>")]
    [InlineData("\\boxed{42")]
    [InlineData("\\boxed 42")]
    [InlineData("")]
    public void An_answer_outside_the_tags_is_no_answer(string completion) =>
        Assert.Null(AnswerExtractor.FinalAnswer(completion));

    [Theory]
    [InlineData("so \\boxed{7}.", "7")]
    [InlineData("\\boxed{1} or rather \\boxed{2}", "2")]
    [InlineData("\\boxed{\\frac{1}{2}}", "\\frac{1}{2}")]
    [InlineData("\\boxed{{a}{b}{c}} done", "{a}{b}{c}")]
    [InlineData("\\boxed{\\{1, 2\\}}", "\\{1, 2\\}")]
    [InlineData("\\boxed{1} and a truncated \\boxed{2", "1")]
    [InlineData("\\boxed{\\boxed{3}}", "3")]
    [InlineData("} stray { \\boxed{4} }", "4")]
    [InlineData("\\boxed{}", "")]
    public void Without_answer_tags_the_last_complete_boxed_argument_counts(string completion, string expected) =>
        Assert.Equal(expected, AnswerExtractor.FinalAnswer(completion));
}
