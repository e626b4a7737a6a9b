using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Rewards;
using Pipeline.Rewards.Countdown;

namespace Pipeline.Tests.Unit.Rewards.Countdown;

public sealed class CountdownScorerTests
{
    const string Puzzle = "3,7,25,50=250";
    static readonly CountdownScorer Scorer = new(Options.Create(new RewardOptions()));

    // Default weights: accuracy 1, format 0.5, partial 0.1 of the accuracy weight.
    [Theory]
    [InlineData("<think>10 × 25</think><answer>(3+7)*(50-25)</answer>", 1.5, 1, 0, 1, "correct")]
    [InlineData("<think>10 × 25</think>\n<answer> (3 + 7) × (50 − 25) = 250 </answer>\n", 1.5, 1, 0, 1, "correct")]
    [InlineData("<think>sum</think><answer>3+7+25+50</answer>", 0.6, 0, 1, 1, "wrong-value")]
    [InlineData("<think>?</think><answer>(3+3)*(50-25)</answer>", 0.5, 0, 0, 1, "numbers-mismatch")]
    [InlineData("<think>?</think><answer>250</answer>", 0.5, 0, 0, 1, "numbers-mismatch")]
    [InlineData("<think>?</think><answer>3 + * 4</answer>", 0.5, 0, 0, 1, "malformed")]
    [InlineData("<think>?</think><answer>(3+7)*50/(25-25)</answer>", 0.5, 0, 0, 1, "numbers-mismatch")]
    [InlineData("<think>?</think><answer> </answer>", 0.0, 0, 0, 0, "no-answer,bad-format")]
    [InlineData("<think>(3+7)*(50-25)</think>", 0.0, 0, 0, 0, "no-answer,bad-format")]
    [InlineData("(3+7)*(50-25)", 0.0, 0, 0, 0, "no-answer,bad-format")]
    [InlineData("\\boxed{(3+7)*(50-25)}", 0.0, 0, 0, 0, "no-answer,bad-format")]  // tags only, no \boxed{}
    [InlineData("<answer>(3+7)*(50-25)</answer>", 1.0, 1, 0, 0, "correct,bad-format")]
    [InlineData("<answer>3+7+25+50</answer>", 0.1, 0, 1, 0, "wrong-value,bad-format")]
    [InlineData("<think>a</think><answer>85</answer><answer>(3+7)*(50-25)</answer>", 1.0, 1, 0, 0, "correct,bad-format")]
    [InlineData("<think>a</think><answer>(3+7)*(50-25)</answer><answer>85</answer>", 0.0, 0, 0, 0, "numbers-mismatch,bad-format")]
    public void Scores_accuracy_partial_format_and_verdict(string completion, double reward, double accuracy, double partial,
        double format, string verdict)
    {
        var score = Scorer.Score(5, completion, Puzzle);

        Assert.Equal(5, score.Index);
        Assert.Equal(reward, score.Reward, 12);
        Assert.Equal(accuracy, score.Components["accuracy"]);
        Assert.Equal(partial, score.Components["partial"]);
        Assert.Equal(format, score.Components["format"]);
        Assert.Equal(3, score.Components.Count);
        Assert.Equal(verdict, score.Verdict);
    }

    [Fact]
    public void Division_by_zero_with_the_right_numbers_earns_only_the_format_reward()
    {
        var score = Scorer.Score(0, "<think>a</think><answer>25*7/(3-3)</answer>", "3,3,7,25=79");

        Assert.Equal("division-by-zero", score.Verdict);
        Assert.Equal(0.5, score.Reward);
    }

    [Fact]
    public void Weights_and_the_partial_reward_come_from_the_options()
    {
        var scorer = new CountdownScorer(Options.Create(new RewardOptions { AccuracyWeight = 2, FormatWeight = 0.25, CountdownPartialReward = 0.2 }));

        Assert.Equal(2.25, scorer.Score(0, "<think>a</think><answer>(3+7)*(50-25)</answer>", Puzzle).Reward, 12);
        // 2 × 0.2 + 0.25
        Assert.Equal(0.65, scorer.Score(0, "<think>a</think><answer>3+7+25+50</answer>", Puzzle).Reward, 12);
        Assert.Equal(0.4, scorer.Score(0, "<answer>3+7+25+50</answer>", Puzzle).Reward, 12);
        Assert.Equal(0.25, scorer.Score(0, "<think>a</think><answer>3+7</answer>", Puzzle).Reward, 12);
    }

    [Fact]
    public void TinyZero_s_partial_reward_is_the_default() =>
        Assert.Equal(0.1, new RewardOptions().CountdownPartialReward);

    [Theory]
    [InlineData("")]
    [InlineData("250")]
    [InlineData("3,7,25,50")]
    [InlineData("3,seven=10")]
    [InlineData("=10")]
    [InlineData("3,-7=10")]
    public void A_reference_that_is_no_puzzle_cannot_be_scored(string reference) =>
        Assert.Throws<ScoringInputException>(() => Scorer.Score(0, "<think>a</think><answer>1</answer>", reference));

    [Fact]
    public void Hostile_completions_score_quickly()
    {
        const int size = 1 << 20;
        string[] completions =
        [
            "<think>a</think><answer>" + new string('(', 10_000) + "</answer>",
            "<think>a</think><answer>" + string.Concat(Enumerable.Repeat("99*", 3_400)) + "99</answer>",
            "<think>a</think><answer>" + new string('9', size) + "</answer>",
            string.Concat(Enumerable.Repeat("<answer>(3+7)*(50-25)</answer>", size / 32)),
            "<think>" + new string('x', size) + "</think><answer>(3+7)*(50-25)</answer>",
        ];
        Scorer.Score(0, "<think>warm</think><answer>1</answer>", Puzzle);
        var clock = Stopwatch.StartNew();
        var verdicts = completions.Select(c => Scorer.Score(0, c, Puzzle).Verdict).ToArray();
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"{clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(["too-complex", "too-complex", "too-complex", "correct,bad-format", "correct"], verdicts);
    }

    [Fact]
    public void AddRewards_routes_the_countdown_kind_to_this_scorer()
    {
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddRewards()
            .BuildServiceProvider();
        var router = services.GetRequiredService<CompletionScorerRouter>();

        Assert.IsType<CountdownScorer>(router.ResolveRules("countdown"));
        Assert.Contains("countdown", router.KnownKinds);
        Assert.Equal("correct", router.ResolveRules("Countdown").Score(0, "<think>a</think><answer>(3+7)*(50-25)</answer>", Puzzle).Verdict);
    }
}
