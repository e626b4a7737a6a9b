using Pipeline.Contracts;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Rewards;
using Pipeline.Sandboxing;

namespace Pipeline.Learner.Replay;

/// <summary>What <c>pipeline replay score</c> asks for.</summary>
/// <param name="Save">store the new scores as a scoring revision of the run</param>
public sealed record ReplayScoreRequest(Guid RunId, bool Save = false);

/// <summary>A completion whose stored score differs from what today's rules give.</summary>
public sealed record ScoreChange(int BatchId, int PromptId, int Index, CompletionScore Before, CompletionScore After);

/// <summary>How far a re-scoring has got.</summary>
public readonly record struct ReplayScoreProgress(int Groups, int Completions);

public sealed record ReplayScoreResult(
    Guid RunId,
    int Completions,
    IReadOnlyList<ScoreChange> Changes,
    int NotRescored,
    IReadOnlyDictionary<string, int> NotRescoredReasons,
    IReadOnlyDictionary<string, int> VerdictsBefore,
    IReadOnlyDictionary<string, int> VerdictsAfter,
    long? RevisionId,
    double WallSeconds)
{
    public int Changed => Changes.Count;

    /// <summary>Re-scored and found the same; completions not re-scored are neither changed nor unchanged.</summary>
    public int Unchanged => Completions - Changed - NotRescored;
}

/// <summary>
/// <c>pipeline replay score</c>: runs today's reward rules (<see cref="CompletionScorerRouter"/>) over every stored
/// completion of a run and reports which scores they would change. The run's rows are only read; with
/// <see cref="ReplayScoreRequest.Save"/> the new scores become a <see cref="ScoringRevision"/> beside them, which
/// <c>replay train --rescored</c> can train on. A rule that cannot run here (code with no sandbox, a reference today's
/// rules refuse) leaves its completions "not re-scored": their stored score stands and is never guessed.
/// </summary>
public sealed class ReplayScorer(RunStore runs, ScoredGroupStore groups, ScoringRevisionStore revisions, CompletionScorerRouter router)
{
    /// <summary>The key under which <see cref="ReplayScoreResult.VerdictsAfter"/> counts completions not re-scored.</summary>
    public const string NotRescoredVerdict = "not-rescored";

    public async Task<ReplayScoreResult> ScoreAsync(ReplayScoreRequest request, IProgress<ReplayScoreProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = await runs.GetAsync(request.RunId, cancellationToken)
            ?? throw new ArgumentException($"no run {request.RunId} in the configured database");
        // A revision of a run still writing groups would miss the later ones, and replay train needs every score.
        if (request.Save && run.Status == RunStatus.Running)
            throw new ArgumentException($"run {run.Id} is still running: save a re-scoring once it has finished");

        var changes = new List<ScoreChange>();
        var reasons = new Dictionary<string, int>();
        var before = new Dictionary<string, int>();
        var after = new Dictionary<string, int>();
        // Every completion's score, so that a replay on the revision substitutes all of them, not only the changed.
        var saved = request.Save ? new List<Rescore>() : null;
        int completions = 0, notRescored = 0, groupCount = 0;

        await foreach (var stored in groups.ReadRunAsync(run.Id, cancellationToken))
        {
            var group = stored.Group;
            var storedScores = group.Scores.ToDictionary(s => s.Index);
            var (rescored, reason) = await RescoreAsync(group, cancellationToken);
            foreach (var completion in group.Completions)
            {
                var old = storedScores.TryGetValue(completion.Index, out var found) ? found
                    : throw new InvalidDataException($"run {run.Id}: completion {completion.Index} of (batch {group.BatchId}, prompt {group.PromptId}) has no stored score");
                completions++;
                Count(before, old.Verdict);
                var now = rescored?[completion.Index];
                if (now is null)
                {
                    notRescored++;
                    Count(reasons, reason!);
                    Count(after, NotRescoredVerdict);
                }
                else
                {
                    Count(after, now.Verdict);
                    if (!SameScore(old, now)) changes.Add(new ScoreChange(group.BatchId, group.PromptId, completion.Index, old, now));
                }
                saved?.Add(new Rescore(group.BatchId, group.PromptId, now ?? old));
            }
            progress?.Report(new ReplayScoreProgress(++groupCount, completions));
        }

        long? revisionId = saved is null ? null
            : await revisions.AddAsync(run.Id, CodeVersion.Current, completions, changes.Count, notRescored, saved, cancellationToken);
        return new ReplayScoreResult(run.Id, completions, changes, notRescored, reasons, before, after, revisionId, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Today's scores of the group's completions, or null and why when its rule cannot run here. Code
    /// completions of a group run concurrently, bounded by the sandbox (as the verifier scores them).</summary>
    async Task<(IReadOnlyDictionary<int, CompletionScore>? Scores, string? Reason)> RescoreAsync(RolloutGroupScored group, CancellationToken cancellationToken)
    {
        try
        {
            var scorer = router.Resolve(group.Prompt.Task);
            var scores = await Task.WhenAll(group.Completions.Select(
                c => scorer.ScoreAsync(c.Index, c.Text, group.Prompt.Reference, cancellationToken).AsTask()));
            return (scores.ToDictionary(s => s.Index), null);
        }
        catch (SandboxUnavailableException e)
        {
            return (null, e.Message);
        }
        catch (ScoringInputException e)
        {
            return (null, $"task '{group.Prompt.Task}': {e.Message}");
        }
    }

    /// <summary>Exact comparison: stored rewards round-trip exactly, and a rule change of any size is a change.</summary>
    static bool SameScore(CompletionScore a, CompletionScore b) =>
        a.Reward.Equals(b.Reward)
        && a.Verdict == b.Verdict
        && a.Components.Count == b.Components.Count
        && a.Components.All(c => b.Components.TryGetValue(c.Key, out var value) && value.Equals(c.Value));

    static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
