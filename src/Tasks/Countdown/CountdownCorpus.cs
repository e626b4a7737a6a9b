using System.Globalization;
using System.Text;
using static Pipeline.Tasks.TemplateTags;

namespace Pipeline.Tasks.Countdown;

/// <summary>
/// Countdown's pretraining corpus: worked search traces in R1-Zero's template. A trace makes tries
/// (<see cref="CountdownAttempt"/>), one per line, each step of arithmetic written out and always right; after a try it
/// may check the value against the target — "(172 != 171)" — and try again, or "(171 = 171)" and stop; the answer is
/// the last try's expression. What makes success rare for the base: most traces give up after one to three tries
/// (<see cref="CountdownCorpusOptions.MaxAttempts"/>), a share answers the first try unchecked
/// (<see cref="CountdownCorpusOptions.NoCheckRate"/>), and tries are random — a model this small cannot search in its
/// head, so its greedy trace is one fixed guess per puzzle. Sampling many traces finds the target sometimes, because
/// each try is a fresh random combination and the checks stop at a hit. What RL can learn from the reward alone:
/// to check, to keep trying instead of giving up (longer completions), and to prefer tries that move towards the
/// target.
/// </summary>
public sealed class CountdownCorpus(CountdownCorpusOptions options)
{
    /// <summary>One completion (the text after "Assistant:") for a Countdown <paramref name="problem"/>.</summary>
    public string Sample(Problem problem, Random random)
    {
        if (!CountdownPuzzle.TryParseReference(problem.Reference, out var puzzle))
            throw new ArgumentException($"not a Countdown problem: reference '{problem.Reference}'", nameof(problem));
        bool check = random.NextDouble() >= options.NoCheckRate;
        int willing = check ? 1 + (int)Math.Floor(options.MaxAttempts * random.NextDouble() * random.NextDouble()) : 1;
        int solutionAt = check && random.NextDouble() < options.SolutionRate ? random.Next(willing) : -1;

        var thinking = new StringBuilder();
        CountdownAttempt last = null!;
        for (int i = 0; i < willing; i++)
        {
            last = i == solutionAt ? Solution(puzzle, random) : CountdownAttempt.Random(puzzle.Numbers, random);
            if (i > 0) thinking.Append('\n');
            thinking.Append(string.Join(' ', last.Steps));
            if (!check) break;
            bool hit = last.Value == puzzle.Target;
            thinking.Append(Check(last.Value, puzzle.Target));
            if (hit) break;
        }
        return $"{ThinkOpen}{thinking}{ThinkClose}{AnswerOpen}{last.Expression}{AnswerClose}";
    }

    /// <summary>How a trace checks a value: " (172 != 171)" after a miss, " (171 = 171)" after a hit.</summary>
    public static string Check(long value, int target) =>
        string.Create(CultureInfo.InvariantCulture, $" ({value} {(value == target ? "=" : "!=")} {target})");

    /// <summary>A try that reaches the target: random tries until one does (the puzzle is solvable by construction,
    /// and three or four numbers have few enough combinations that this ends quickly).</summary>
    static CountdownAttempt Solution(CountdownPuzzle puzzle, Random random)
    {
        for (int i = 0; i < 100_000; i++)
        {
            var attempt = CountdownAttempt.Random(puzzle.Numbers, random);
            if (attempt.Value == puzzle.Target) return attempt;
        }
        return CountdownAttempt.Random(puzzle.Numbers, random);
    }
}
