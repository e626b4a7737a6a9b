using System.Text;
using Microsoft.Extensions.Options;
using Pipeline.Rewards;
using Pipeline.Rewards.Math;
using Xunit.Abstractions;

namespace Pipeline.Tests.Unit.Rewards.Math;

/// <summary>Math-Verify's own test cases (huggingface/Math-Verify, tests/*.py, Apache-2.0), each prediction placed in
/// the answer tags of an R1-Zero completion and its gold given as the reference, scored by <see cref="MathScorer"/>.
/// Pipeline may be stricter than Math-Verify, never laxer: no case Math-Verify rejects is credited, and every case
/// where the two differ is listed, with the reason, in <c>Data/MathVerifyDisagreements.tsv</c>
/// (docs/math-verify-disagreements.md).</summary>
public class MathVerifyAgreementTests(ITestOutputHelper output)
{
    static readonly MathScorer Scorer = new(Options.Create(new RewardOptions()));
    static readonly IReadOnlyList<MathVerifyCase> Cases = MathVerifyCase.Load();

    static bool Credited(MathVerifyCase c) => Scorer.Score(0, c.Completion, c.Gold).Components["accuracy"] == 1;

    [Fact]
    public void The_converted_suite_holds_every_case_of_math_verify()
    {
        Assert.Equal(269, Cases.Count);
        Assert.Equal(231, Cases.Count(c => c.Matches));
        Assert.Equal(Cases.Count, Cases.Select(c => c.Source).Distinct().Count());
    }

    [Fact]
    public void No_case_math_verify_rejects_is_credited()
    {
        var falsePositives = Cases.Where(c => !c.Matches && Credited(c)).Select(c => c.Source).ToList();

        Assert.Empty(falsePositives);
    }

    [Fact]
    public void At_least_nine_in_ten_cases_agree_with_math_verify()
    {
        int agree = Cases.Count(c => Credited(c) == c.Matches);
        output.WriteLine(Table());

        Assert.True(agree >= 0.9 * Cases.Count, $"{agree} of {Cases.Count} agree");
    }

    [Fact]
    public void Every_disagreement_is_listed_with_its_reason_and_nothing_else_is()
    {
        var listed = MathVerifyCase.DeliberateDisagreements();
        var disagreeing = Cases.Where(c => Credited(c) != c.Matches).Select(c => c.Source).ToHashSet();
        foreach (var c in Cases.Where(c => disagreeing.Contains(c.Source) != listed.ContainsKey(c.Source)))
        {
            var judgement = MathJudge.Judge(c.Prediction, c.Gold, new RewardOptions().MathDecimalTolerance);
            output.WriteLine($"{c.Source} expected {c.Expected}: {judgement.Verdict}; reference {judgement.ReferenceForm}; answer {judgement.AnswerForm}");
        }

        Assert.Empty(disagreeing.Except(listed.Keys).Order(StringComparer.Ordinal));
        Assert.Empty(listed.Keys.Except(disagreeing).Order(StringComparer.Ordinal));
        Assert.All(listed.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
    }

    /// <summary>Agreement by category (the Math-Verify test each case comes from), as the tables show it.</summary>
    static string Table()
    {
        var text = new StringBuilder("| category | cases | agree | matches credited | non-matches rejected |\n|---|---:|---:|---:|---:|\n");
        foreach (var group in Cases.GroupBy(c => c.Category).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
            text.AppendLine(Row(group.Key, group.ToList()));
        text.AppendLine(Row("**all**", Cases));
        return text.ToString();

        static string Row(string name, IReadOnlyList<MathVerifyCase> cases)
        {
            var credited = cases.Select(Credited).ToList();
            int agree = cases.Where((c, i) => credited[i] == c.Matches).Count();
            int matchesCredited = cases.Where((c, i) => c.Matches && credited[i]).Count();
            int rejected = cases.Where((c, i) => !c.Matches && !credited[i]).Count();
            return $"| {name} | {cases.Count} | {agree} | {matchesCredited}/{cases.Count(c => c.Matches)} | {rejected}/{cases.Count(c => !c.Matches)} |";
        }
    }
}
