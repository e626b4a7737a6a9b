using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Rewards;

namespace Pipeline.Tests.Unit.Rewards;

public class CompletionScorerRouterTests
{
    static readonly MathScorer Math = new(Options.Create(new RewardOptions()));

    sealed class CodeScorer : ICompletionScorer
    {
        public string Kind => "code";

        public ValueTask<CompletionScore> ScoreAsync(int index, string completion, string reference, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    [Theory]
    [InlineData("math")]
    [InlineData("arithmetic")]
    [InlineData("Arithmetic")]
    [InlineData(" MATH ")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void Math_answers_to_its_name_its_alias_and_no_name(string? kind) =>
        Assert.Same(Math, new CompletionScorerRouter([Math]).Resolve(kind));

    [Fact]
    public void Other_kinds_route_to_their_own_scorer()
    {
        var code = new CodeScorer();
        var router = new CompletionScorerRouter([Math, code]);

        Assert.Same(code, router.Resolve("code"));
        Assert.Same(Math, router.Resolve(null));
        Assert.Equal(["arithmetic", "code", "math"], router.KnownKinds);
    }

    [Fact]
    public void Only_rule_based_kinds_resolve_for_synchronous_scoring()
    {
        var router = new CompletionScorerRouter([Math, new CodeScorer()]);

        Assert.Same(Math, router.ResolveRules("arithmetic"));
        var error = Assert.Throws<ScoringInputException>(() => router.ResolveRules("code"));
        Assert.Equal("task kind 'code' runs programs to score and cannot be scored synchronously here", error.Message);
    }

    [Fact]
    public async Task A_rule_scorer_scores_asynchronously_without_waiting()
    {
        var pending = ((ICompletionScorer)Math).ScoreAsync(2, "<think>a</think><answer>4</answer>", "4", CancellationToken.None);

        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal(Math.Score(2, "<think>a</think><answer>4</answer>", "4").Reward, (await pending).Reward);
    }

    [Fact]
    public void An_unknown_kind_is_a_clear_error()
    {
        var error = Assert.Throws<ScoringInputException>(() => new CompletionScorerRouter([Math]).Resolve("chess"));
        Assert.Equal("unknown task kind 'chess' (known kinds: arithmetic, math)", error.Message);
    }

    [Fact]
    public void Two_scorers_cannot_claim_one_kind()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new CompletionScorerRouter([Math, Math]));
        Assert.Contains("'math'", error.Message);
    }
}
