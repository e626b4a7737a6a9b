using Pipeline.Contracts;

namespace Pipeline.Learner.Replay;

/// <summary>One completion of a run as <c>pipeline replay export</c> writes it (a JSONL line, a Parquet row).</summary>
/// <param name="Components">the reward's named components (keys from <see cref="RewardComponents"/> and any other a
/// verifier gave); a key this completion lacks is null in its column</param>
/// <param name="Advantage">the group-relative advantage the learner trained this completion with (the float it
/// used); null when its group was not trained on: stale, dropped by dynamic sampling, or never consumed</param>
/// <param name="PolicyVersion">the behaviour policy: the version that generated the completion</param>
/// <param name="Step">the training step that consumed the group (trained on it or dropped it); null if none did</param>
public sealed record ExportRow(
    string Prompt,
    string Completion,
    double Reward,
    IReadOnlyDictionary<string, double> Components,
    string Verdict,
    float? Advantage,
    int PolicyVersion,
    int Batch,
    int PromptId,
    int? Step,
    int[] TokenIds,
    float[] LogProbs,
    string FinishReason);

/// <summary>The columns of an export, in order: the fixed ones, with one column per reward component after
/// <c>reward</c>. Both formats write exactly these; Parquet needs them before the first row.</summary>
public sealed record ExportColumns
{
    public const string Prompt = "prompt";
    public const string Completion = "completion";
    public const string Reward = "reward";
    public const string Verdict = "verdict";
    public const string Advantage = "advantage";
    public const string PolicyVersion = "policy_version";
    public const string Batch = "batch";
    public const string PromptId = "prompt_id";
    public const string Step = "step";
    public const string TokenIds = "token_ids";
    public const string LogProbs = "logprobs";
    public const string FinishReason = "finish_reason";

    /// <summary>The fixed columns; a component key equal to one of these is written as <c>KEY_component</c>.</summary>
    public static readonly IReadOnlyList<string> Fixed =
        [Prompt, Completion, Reward, Verdict, Advantage, PolicyVersion, Batch, PromptId, Step, TokenIds, LogProbs, FinishReason];

    /// <param name="componentKeys">every component key the run's completions carry: <see cref="RewardComponents"/>'
    /// keys come first in their usual order, then the others in ordinal order</param>
    public ExportColumns(IEnumerable<string> componentKeys)
    {
        string[] known = [RewardComponents.Accuracy, RewardComponents.Format];
        var keys = componentKeys.Distinct(StringComparer.Ordinal).ToArray();
        ComponentKeys = [.. known.Where(keys.Contains), .. keys.Except(known, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        ComponentColumns = ComponentKeys.Select(k => Fixed.Contains(k) ? $"{k}_component" : k).ToArray();
    }

    /// <summary>The reward components, in column order.</summary>
    public IReadOnlyList<string> ComponentKeys { get; }

    /// <summary>The column of each of <see cref="ComponentKeys"/>: its key, unless that is a fixed column's name.</summary>
    public IReadOnlyList<string> ComponentColumns { get; }

    /// <summary>Every column name in order.</summary>
    public IReadOnlyList<string> Names => [Prompt, Completion, Reward, .. ComponentColumns, Verdict, Advantage, PolicyVersion, Batch, PromptId, Step, TokenIds, LogProbs, FinishReason];
}

/// <summary>Writes an export's rows in one file format. Rows arrive in (batch, prompt, completion index) order;
/// <see cref="CompleteAsync"/> after the last one finishes the file (a writer that is disposed without it leaves an
/// unfinished file, which the caller deletes).</summary>
public interface IExportWriter : IAsyncDisposable
{
    ValueTask WriteAsync(ExportRow row, CancellationToken cancellationToken);

    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
