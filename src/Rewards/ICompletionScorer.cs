using Pipeline.Contracts;

namespace Pipeline.Rewards;

/// <summary>The reward rules of one task kind (<see cref="RolloutPrompt.Task"/>). Register implementations as
/// <c>ICompletionScorer</c> singletons; <see cref="CompletionScorerRouter"/> picks one by kind.</summary>
public interface ICompletionScorer
{
    /// <summary>The task kind this scorer handles, e.g. "math"; matched case-insensitively.</summary>
    string Kind { get; }

    /// <summary>Other names of the same kind, e.g. "arithmetic" for "math".</summary>
    IReadOnlyCollection<string> Aliases => [];

    /// <summary>Scores one completion against the task's reference. Rule-based kinds finish synchronously (a
    /// completed <see cref="ValueTask{T}"/>); kinds that run programs wait for them without holding a thread.
    /// Throws <see cref="ScoringInputException"/> when the reference itself is unusable; any other exception is a
    /// failure of the verifier's own machinery (worth a retry), never a reward.</summary>
    ValueTask<CompletionScore> ScoreAsync(int index, string completion, string reference, CancellationToken cancellationToken);

    /// <summary>Completes when this kind can be scored here; throws what <see cref="ScoreAsync"/> would throw for a
    /// machinery that cannot run at all (a code scorer without its sandbox: <c>SandboxUnavailableException</c>), so
    /// a caller about to score many completions — a held-out evaluation, a run's start — says so before any work.
    /// Rule-based kinds always can.</summary>
    ValueTask EnsureAvailableAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>A scorer whose rules are pure functions of the text, so callers that score on their own thread (the
/// pretraining corpus check, the rule-scoring benchmark) can score synchronously. The held-out evaluator awaits
/// <see cref="ICompletionScorer.ScoreAsync"/> instead, so that it scores every kind, code included.</summary>
public interface IRuleScorer : ICompletionScorer
{
    /// <inheritdoc cref="ICompletionScorer.ScoreAsync"/>
    CompletionScore Score(int index, string completion, string reference);

    ValueTask<CompletionScore> ICompletionScorer.ScoreAsync(
        int index, string completion, string reference, CancellationToken cancellationToken) =>
        new(Score(index, completion, reference));
}
