using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Verifier.Rewards;

namespace Pipeline.Tests.Unit.Verifier;

public class CompletionScorerRouterTests
{
    static readonly MathScorer Math = new(Options.Create(new RewardOptions()));

    sealed class CodeScorer : ICompletionScorer
    {
        public string Kind => "code";

        public CompletionScore Score(int index, string completion, string reference) =>
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
