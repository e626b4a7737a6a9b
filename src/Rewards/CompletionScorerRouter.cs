using Pipeline.Tasks;
namespace Pipeline.Rewards;

/// <summary>Picks the <see cref="ICompletionScorer"/> for a task kind. Kinds and aliases match
/// case-insensitively; an absent or blank kind means <see cref="DefaultKind"/>.</summary>
public sealed class CompletionScorerRouter
{
    public const string DefaultKind = TaskKinds.Math;

    readonly Dictionary<string, ICompletionScorer> byName = new(StringComparer.OrdinalIgnoreCase);

    public CompletionScorerRouter(IEnumerable<ICompletionScorer> scorers)
    {
        foreach (var scorer in scorers)
        {
            foreach (var name in scorer.Aliases.Prepend(scorer.Kind))
            {
                if (!byName.TryAdd(name.Trim(), scorer))
                    throw new InvalidOperationException(
                        $"task kind '{name}' is claimed by both {byName[name.Trim()].GetType().Name} and {scorer.GetType().Name}");
            }
        }
    }

    /// <summary>Every kind and alias that resolves, sorted.</summary>
    public IReadOnlyList<string> KnownKinds => [.. byName.Keys.Order(StringComparer.Ordinal)];

    /// <exception cref="ScoringInputException">No scorer handles <paramref name="kind"/>.</exception>
    public ICompletionScorer Resolve(string? kind)
    {
        var name = string.IsNullOrWhiteSpace(kind) ? DefaultKind : kind.Trim();
        return byName.TryGetValue(name, out var scorer)
            ? scorer
            : throw new ScoringInputException(
                $"unknown task kind '{name}' (known kinds: {string.Join(", ", KnownKinds)})");
    }

    /// <summary>The scorer for <paramref name="kind"/> when its rules score synchronously (<see cref="IRuleScorer"/>).</summary>
    /// <exception cref="ScoringInputException">No scorer handles <paramref name="kind"/>, or its scorer runs
    /// programs and can only be awaited (<see cref="ICompletionScorer.ScoreAsync"/>).</exception>
    public IRuleScorer ResolveRules(string? kind)
    {
        var scorer = Resolve(kind);
        return scorer as IRuleScorer ?? throw new ScoringInputException(
            $"task kind '{scorer.Kind}' runs programs to score and cannot be scored synchronously here");
    }
}
