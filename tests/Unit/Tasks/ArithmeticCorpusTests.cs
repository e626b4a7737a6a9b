using System.Text.RegularExpressions;
using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Tests.Unit.Tasks;

public sealed partial class ArithmeticCorpusTests
{
    static readonly ArithmeticTask Arithmetic = new(new ArithmeticOptions { Operations = "+-*", Digits = 3, HeldOutSize = 10 });

    [GeneratedRegex(@"^<think>[^<>]+</think><answer>-?\d+</answer>$")]
    private static partial Regex WellFormed();

    static (Operation Op, string Sample)[] Draw(CorpusOptions options, int count, int seed)
    {
        var corpus = new ArithmeticCorpus(options);
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var problem = Arithmetic.NextTraining(random);
            return (Operation.Parse(problem.Question), corpus.Sample(problem, random));
        }).ToArray();
    }

    [Fact]
    public void Without_misconceptions_or_format_breaks_every_sample_is_correct_and_well_formed()
    {
        foreach (var (op, sample) in Draw(new CorpusOptions { MisconceptionRate = 0, FormatBreakRate = 0 }, 500, seed: 1))
        {
            var work = WorkedSolution.Solve(op, misconception: false);
            Assert.Equal($"<think>{work.Reasoning}</think><answer>{op.Result}</answer>", sample);
            Assert.Matches(WellFormed(), sample);
        }
    }

    [Fact]
    public void With_every_solution_mistaken_each_sample_follows_the_misconception()
    {
        foreach (var (op, sample) in Draw(new CorpusOptions { MisconceptionRate = 1, FormatBreakRate = 0 }, 300, seed: 2))
        {
            var work = WorkedSolution.Solve(op, misconception: true);
            Assert.Equal($"<think>{work.Reasoning}</think><answer>{work.Answer}</answer>", sample);
        }
    }

    [Fact]
    public void With_every_format_broken_no_sample_is_well_formed_and_every_kind_of_break_occurs()
    {
        var samples = Draw(new CorpusOptions { MisconceptionRate = 0, FormatBreakRate = 1 }, 300, seed: 3);

        Assert.All(samples, s => Assert.DoesNotMatch(WellFormed(), s.Sample));
        Assert.Contains(samples, s => !s.Sample.Contains("<answer>"));                                     // answer outside the tags
        Assert.Contains(samples, s => s.Sample.StartsWith("<think>") && !s.Sample.Contains("</think>"));  // missing closing tag
        Assert.Contains(samples, s => !s.Sample.EndsWith("</answer>") && s.Sample.Contains("</answer>"));  // chatter after the answer
        Assert.Contains(samples, s => s.Sample.StartsWith("<answer>"));                                    // no reasoning block
        Assert.Contains(samples, s => !s.Sample.StartsWith('<'));                                           // no opening tag
    }

    [Fact]
    public void Rates_are_the_configured_fractions()
    {
        // Misconception 0.6, format breaks 0.25 over 4000 samples: standard errors ≈ 0.008 and 0.007.
        var samples = Draw(new CorpusOptions { MisconceptionRate = 0.6, FormatBreakRate = 0.25 }, 4000, seed: 4);

        double broken = samples.Count(s => !WellFormed().IsMatch(s.Sample)) / 4000.0;
        // Among well-formed samples with a carry or borrow, the two modes differ, so the answer tells which was used.
        var telling = samples
            .Where(s => WellFormed().IsMatch(s.Sample))
            .Where(s => WorkedSolution.Solve(s.Op, true).Answer != WorkedSolution.Solve(s.Op, false).Answer)
            .ToArray();
        double mistaken = telling.Count(s => s.Sample.Contains($"<answer>{WorkedSolution.Solve(s.Op, true).Answer}</answer>")) / (double)telling.Length;

        Assert.InRange(broken, 0.22, 0.28);
        Assert.InRange(mistaken, 0.56, 0.64);
    }
}
