using System.Globalization;
using System.Text;
using static Pipeline.Tasks.TemplateTags;

namespace Pipeline.Tasks.Countdown;

/// <summary>
/// Countdown's pretraining corpus: worked search traces in R1-Zero's template. Every trace works through the tries of
/// <see cref="CountdownAttempt.InSearchOrder"/> from the first, one per line, each step of arithmetic written out and
/// always right; the answer is the last try's expression. Three kinds of trace:
/// <list type="bullet">
/// <item>a share (<see cref="CountdownCorpusOptions.NoCheckRate"/>) answers the first try without checking it;</item>
/// <item>the rest check it against the target — "(2100 vs 42: no)" after a miss, "(42 vs 42: yes)" after a hit — and of those
/// a share (<see cref="CountdownCorpusOptions.PersistRate"/>) keeps trying, the next try in the order, until a check
/// hits or <see cref="CountdownCorpusOptions.MaxAttempts"/> tries are made;</item>
/// <item>the others give up after the first failed check and answer it anyway.</item>
/// </list>
/// Why the base fails: the first try multiplies everything, which is rarely a target of at most 100, and the two
/// decisions that would go further — check the try, keep going after a failed check — are each made by just under half
/// of the traces, so the greedy completion takes neither and answers that first try. Why sampling succeeds sometimes:
/// about one trace in five checks and persists, and the search order reaches most targets within a dozen tries. What
/// RL can learn from the reward alone is to take those two decisions: longer completions that verify themselves.
/// </summary>
public sealed class CountdownCorpus(CountdownCorpusOptions options)
{
    /// <summary>One completion (the text after "Assistant:") for a Countdown <paramref name="problem"/>.</summary>
    public string Sample(Problem problem, Random random)
    {
        if (!CountdownPuzzle.TryParseReference(problem.Reference, out var puzzle))
            throw new ArgumentException($"not a Countdown problem: reference '{problem.Reference}'", nameof(problem));
        bool check = random.NextDouble() >= options.NoCheckRate;
        bool persist = check && random.NextDouble() < options.PersistRate;

        var thinking = new StringBuilder();
        CountdownAttempt last = null!;
        int tries = 0;
        foreach (var attempt in CountdownAttempt.InSearchOrder(puzzle.Numbers))
        {
            last = attempt;
            if (tries++ > 0) thinking.Append('\n');
            thinking.Append(string.Join(' ', attempt.Steps));
            if (!check) break;
            thinking.Append(Check(attempt.Value, puzzle.Target));
            if (attempt.Value == puzzle.Target || !persist || tries == options.MaxAttempts) break;
        }
        return $"{ThinkOpen}{thinking}{ThinkClose}{AnswerOpen}{last.Expression}{AnswerClose}";
    }

    /// <summary>How a trace checks a value: " (172 vs 171: no)" after a miss, " (171 vs 171: yes)" after a hit. The
    /// verdict comes after both numbers, so a small model decides it by comparing the two numbers just written; with
    /// the verdict between them ("172 != 171") it had to decide before writing the target, and after RL it wrote
    /// "(19 != 19)" and "(16 = 19)".</summary>
    public static string Check(long value, int target) =>
        string.Create(CultureInfo.InvariantCulture, $" ({value} vs {target}: {(value == target ? "yes" : "no")})");
}
