using System.Diagnostics;
using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Rewards;
using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Rewards;

/// <summary>What one thread scored: how many completions, in how long, and what they looked like.</summary>
public sealed record RuleScoringBenchmarkResult(long Scores, double Seconds, double MeanCompletionChars, double CorrectShare)
{
    /// <summary>One thread is one core's worth of scoring.</summary>
    public double ScoresPerSecondPerCore => Scores / Seconds;
}

/// <summary>Rule scoring on one thread for a fixed time: realistic math completions (a sentence or two of column
/// arithmetic in <c>&lt;think&gt;</c>, then <c>&lt;answer&gt;</c>; 100–200 characters), some wrong, some badly
/// formatted, some answering in <c>\boxed{}</c> or with thousands separators, as a policy writes them.</summary>
public static class RuleScoringBenchmark
{
    public static RuleScoringBenchmarkResult Run(
        IRuleScorer scorer, IReadOnlyList<(string Completion, string Reference)> samples, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count);
        // Warm-up: JIT and tiered compilation settle before the clock starts.
        for (int i = 0; i < System.Math.Min(samples.Count, 2000); i++)
        {
            scorer.Score(i, samples[i].Completion, samples[i].Reference);
        }

        long scores = 0, correct = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 256; i++, scores++)
            {
                var (completion, reference) = samples[(int)(scores % samples.Count)];
                if (scorer.Score(i, completion, reference).Components[RewardComponents.Accuracy] == 1)
                {
                    correct++;
                }
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        return new RuleScoringBenchmarkResult(
            scores, seconds, samples.Average(s => (double)s.Completion.Length), (double)correct / scores);
    }

    /// <summary><paramref name="count"/> completions of four-digit problems with their references, from a fixed seed.</summary>
    public static IReadOnlyList<(string Completion, string Reference)> Samples(int count, int seed = 7)
    {
        var random = new Random(seed);
        var samples = new List<(string, string)>(count);
        while (samples.Count < count)
        {
            char op = "+-*"[random.Next(3)];
            long a = random.NextInt64(1000, 10000), b = op == '*' ? random.Next(2, 10) : random.NextInt64(1000, 10000);
            if (op == '-' && b > a)
            {
                (a, b) = (b, a);
            }
            var operation = new Operation(a, op, b);
            var work = WorkedSolution.Solve(operation, misconception: random.NextDouble() < 0.3);
            var reference = operation.Result.ToString(CultureInfo.InvariantCulture);
            var think = $"<think>We need {a} {op} {b}. Working column by column from the units: {work.Reasoning}. " +
                        $"So the result is {work.Answer}.</think>\n";
            var completion = random.Next(10) switch
            {
                0 => $"{think}The answer is \\boxed{{{work.Answer}}}.",
                1 => $"{think}<answer>{work.Answer}</answer> I hope this helps!",
                2 => $"{think}<answer>{long.Parse(work.Answer, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture)}</answer>",
                _ => $"{think}<answer>{work.Answer}</answer>",
            };
            samples.Add((completion, reference));
        }
        return samples;
    }
}
