using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Rewards;
using Pipeline.Rewards.Countdown;
using Pipeline.Tasks;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Tests.Unit.Tasks.Countdown;

/// <summary>The corpus's traces are themselves correct where they claim to be: every step's arithmetic, every check,
/// and the answer — the last try's expression, judged by the Countdown rule: correct exactly when the last try's value
/// is the target, which a checked trace says.</summary>
public sealed partial class CountdownCorpusTests
{
    static readonly CountdownTask Task = new(new CountdownOptions { HeldOutSize = 20 });

    static IEnumerable<(CountdownPuzzle Puzzle, string Trace)> Traces(CountdownCorpusOptions options, int count, int seed = 7)
    {
        var corpus = new CountdownCorpus(options);
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var problem = Task.NextTraining(random);
            Assert.True(CountdownPuzzle.TryParseReference(problem.Reference, out var puzzle));
            yield return (puzzle, corpus.Sample(problem, random));
        }
    }

    [Fact]
    public void Every_step_every_check_and_every_answer_is_right_where_the_trace_claims_it()
    {
        int hits = 0, checkedTraces = 0;
        foreach (var (puzzle, trace) in Traces(new CountdownCorpusOptions(), 2000))
        {
            var match = TraceShape().Match(trace);
            Assert.True(match.Success, trace);
            var lines = match.Groups["think"].Value.Split('\n');
            long lastValue = 0;
            bool lastHit = false;
            foreach (var line in lines)
            {
                foreach (Match step in StepPattern().Matches(line))
                {
                    long a = long.Parse(step.Groups["a"].Value, CultureInfo.InvariantCulture), b = long.Parse(step.Groups["b"].Value, CultureInfo.InvariantCulture);
                    long c = long.Parse(step.Groups["c"].Value, CultureInfo.InvariantCulture);
                    long expected = step.Groups["op"].Value switch { "+" => a + b, "-" => a - b, "*" => a * b, _ => a / b };
                    Assert.Equal(expected, c);
                    if (step.Groups["op"].Value == "/") Assert.Equal(0, a % b);
                    Assert.True(c > 0, line);
                    lastValue = c;
                }
                var check = CheckPattern().Match(line);
                if (!check.Success) continue;
                long value = long.Parse(check.Groups["v"].Value, CultureInfo.InvariantCulture);
                Assert.Equal(lastValue, value);
                Assert.Equal(puzzle.Target, int.Parse(check.Groups["t"].Value, CultureInfo.InvariantCulture));
                lastHit = check.Groups["rel"].Value == "yes";
                Assert.Equal(value == puzzle.Target, lastHit);
            }
            bool checkedAny = CheckPattern().IsMatch(trace);
            checkedTraces += checkedAny ? 1 : 0;
            // The answer is the last try: right exactly when that try's value is the target (an unchecked try may be).
            string verdict = CountdownRule.Judge(match.Groups["answer"].Value, puzzle);
            Assert.Equal(lastValue == puzzle.Target ? Verdicts.Correct : Verdicts.WrongValue, verdict);
            if (checkedAny) Assert.Equal(lastHit, lastValue == puzzle.Target);
            hits += lastHit ? 1 : 0;
        }
        // 45 % of traces check, not quite half of those persist, and many persistent ones hit.
        Assert.InRange(hits, 120, 320);
        Assert.InRange(checkedTraces, 800, 1000);
    }

    [Fact]
    public void Every_trace_works_through_the_search_order_from_its_first_try()
    {
        foreach (var (puzzle, trace) in Traces(new CountdownCorpusOptions { NoCheckRate = 0.3, PersistRate = 0.5 }, 500))
        {
            var lines = TraceShape().Match(trace).Groups["think"].Value.Split('\n');
            var expected = CountdownAttempt.InSearchOrder(puzzle.Numbers).Take(lines.Length).ToList();
            Assert.Equal(expected.Select(a => string.Join(' ', a.Steps)), lines.Select(l => CheckPattern().Replace(l, "").TrimEnd()));
            Assert.Equal(expected[^1].Expression, TraceShape().Match(trace).Groups["answer"].Value);
        }
    }

    [Fact]
    public void The_search_order_multiplies_first_and_takes_pairs_in_the_order_written()
    {
        // 2, 3, 4: the pair (2, 3) first, '*' before '+' before '-' before '/', each combined with 4 in that order;
        // 6/4 does not divide, 4/1 divides by one, and 2/3 is not whole: those tries are skipped.
        var tries = CountdownAttempt.InSearchOrder([2, 3, 4]).Select(a => $"{string.Join(' ', a.Steps)} => {a.Expression}").ToList();
        Assert.Equal(
            [
                "2*3=6 6*4=24 => 2*3*4", "2*3=6 6+4=10 => 2*3+4", "2*3=6 6-4=2 => 2*3-4",
                "2+3=5 5*4=20 => (2+3)*4", "2+3=5 5+4=9 => 2+3+4", "2+3=5 5-4=1 => 2+3-4",
                "3-2=1 1*4=4 => (3-2)*4", "3-2=1 1+4=5 => 3-2+4", "3-2=1 4-1=3 => 4-(3-2)",
            ],
            tries.Take(9));
        Assert.InRange(tries.Count, 20, 48);
        Assert.Equal(tries.Count, tries.Distinct().Count());
        Assert.All(CountdownAttempt.InSearchOrder([2, 3, 4]), a => Assert.Equal(Pipeline.Rewards.Verdicts.Correct,
            CountdownRule.Judge(a.Expression, new CountdownPuzzle([2, 3, 4], (int)a.Value))));
    }

    [Fact]
    public void A_trace_stops_at_its_first_hit_and_makes_at_most_MaxAttempts_tries()
    {
        foreach (var (_, trace) in Traces(new CountdownCorpusOptions { MaxAttempts = 4, NoCheckRate = 0, PersistRate = 1 }, 1000))
        {
            var checks = CheckPattern().Matches(trace);
            Assert.InRange(checks.Count, 1, 4);
            Assert.All(checks.Take(checks.Count - 1), c => Assert.Equal("no", c.Groups["rel"].Value));
        }
    }

    [Fact]
    public void Without_checks_a_trace_is_one_try_answered_as_it_is()
    {
        foreach (var (_, trace) in Traces(new CountdownCorpusOptions { NoCheckRate = 1 }, 200))
        {
            Assert.DoesNotContain("(", TraceShape().Match(trace).Groups["think"].Value);
            Assert.DoesNotContain("\n", trace);
        }
    }

    [Fact]
    public void The_same_seed_writes_the_same_traces() =>
        Assert.Equal(Traces(new CountdownCorpusOptions(), 50, seed: 3).Select(t => t.Trace), Traces(new CountdownCorpusOptions(), 50, seed: 3).Select(t => t.Trace));

    [Fact]
    public void A_problem_that_is_not_Countdown_is_refused() =>
        Assert.Throws<ArgumentException>(() => new CountdownCorpus(new CountdownCorpusOptions()).Sample(new Problem("q", "2+2", "4", TaskKinds.Math), new Random(1)));

    [GeneratedRegex(@"^<think>(?<think>.*)</think><answer>(?<answer>[^<]+)</answer>$", RegexOptions.Singleline)]
    private static partial Regex TraceShape();

    [GeneratedRegex(@"(?<a>\d+)(?<op>[-+*/])(?<b>\d+)=(?<c>\d+)")]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"\((?<v>\d+) vs (?<t>\d+): (?<rel>yes|no)\)")]
    private static partial Regex CheckPattern();
}
