using System.Runtime.CompilerServices;
using Pipeline.Contracts;
using Pipeline.Data.Stores;
using Pipeline.Learner.Runs;
using Pipeline.Learner.Training;

namespace Pipeline.Learner.Replay;

/// <summary>How far an export has got, in completions.</summary>
public readonly record struct ExportProgress(long Rows, long TotalRows);

/// <summary>What an export wrote.</summary>
/// <param name="TrainedRows">rows with an advantage: completions the learner trained on</param>
public sealed record ExportSummary(Guid RunId, long Rows, long Groups, long TrainedRows, IReadOnlyList<string> Columns);

/// <summary>
/// <c>pipeline replay export</c>: every stored completion of a run as one row (<see cref="ExportRow"/>) — its
/// prompt, text, reward and components, verdict, tokens and behaviour log-probs, the behaviour policy version, the
/// step that consumed it and the advantage that step trained it with. The groups are streamed from the database in
/// (batch, prompt) order and only one batch is held at a time, so a run of any length exports in constant memory.
/// <para>
/// The advantage is recomputed, not stored: for each consumed batch, the step's groups in the recorded order go
/// through <see cref="TrainingBatch.AdvantagesByGroup"/> with the run's own Grpo settings and completion-token budget
/// (overlong penalty, dynamic sampling, advantage scale) — the computation <see cref="TrainingBatch.Build"/> does in
/// the live step, so the value is the float the learner used. Groups of a stale batch, groups dynamic sampling
/// dropped and groups no step consumed have none. Where the training-step record and the recomputation disagree
/// about which groups were trained on, the export fails rather than write advantages the learner did not use.
/// </para>
/// </summary>
public sealed class ReplayExporter(RunStore runs, ScoredGroupStore groups, TrainingStepStore steps)
{
    /// <summary>Progress is reported after every this many rows, and once at the end.</summary>
    public const int ProgressEvery = 10_000;

    /// <summary>Writes the run's rows to the writer <paramref name="openWriter"/> opens for the run's columns; opens
    /// nothing when the run does not exist (<see cref="ArgumentException"/>).</summary>
    public async Task<ExportSummary> ExportAsync(Guid runId, Func<ExportColumns, CancellationToken, ValueTask<IExportWriter>> openWriter,
        IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken)
            ?? throw new ArgumentException($"no run {runId} in the configured database");
        var settings = RunSettings.FromJson(run.ConfigJson);
        var (total, componentKeys) = await groups.DescribeCompletionsAsync(runId, cancellationToken);
        if (total == 0 && run.SourceRunId is { } source)
            throw new ArgumentException($"run {runId} is a replay of run {source} and stores no completions of its own: export run {source}");

        var columns = new ExportColumns(componentKeys);
        long rows = 0, trained = 0, groupCount = 0;
        await using (var writer = await openWriter(columns, cancellationToken))
        {
            var lastGroup = (Batch: -1, Prompt: -1);
            await foreach (var row in RowsAsync(runId, settings, cancellationToken))
            {
                await writer.WriteAsync(row, cancellationToken);
                rows++;
                if (row.Advantage is not null) trained++;
                if ((row.Batch, row.PromptId) != lastGroup)
                {
                    groupCount++;
                    lastGroup = (row.Batch, row.PromptId);
                }
                if (rows % ProgressEvery == 0) progress?.Report(new ExportProgress(rows, Math.Max(rows, total)));
            }
            await writer.CompleteAsync(cancellationToken);
        }
        progress?.Report(new ExportProgress(rows, rows));
        return new ExportSummary(runId, rows, groupCount, trained, columns.Names);
    }

    /// <summary>The run's rows in (batch, prompt, completion index) order, one batch of groups in memory at a time.</summary>
    public async IAsyncEnumerable<ExportRow> RowsAsync(Guid runId, RunSettings settings,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var batch = new List<StoredGroup>();
        await foreach (var group in groups.ReadRunAsync(runId, cancellationToken))
        {
            if (batch.Count > 0 && batch[0].Group.BatchId != group.Group.BatchId)
            {
                foreach (var row in await RowsOfBatchAsync(runId, batch, settings, cancellationToken)) yield return row;
                batch.Clear();
            }
            batch.Add(group);
        }
        if (batch.Count > 0)
            foreach (var row in await RowsOfBatchAsync(runId, batch, settings, cancellationToken)) yield return row;
    }

    /// <summary>The rows of one batch of the run (empty when none of its groups is stored), with the advantages
    /// its step trained them with: what the dashboard shows of a step.</summary>
    public async Task<IReadOnlyList<ExportRow>> BatchRowsAsync(Guid runId, int batchId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken) ?? throw new ArgumentException($"no run {runId} in the configured database");
        var batch = await groups.ReadBatchAsync(runId, batchId, cancellationToken);
        return batch.Count == 0 ? [] : [.. await RowsOfBatchAsync(runId, batch, RunSettings.FromJson(run.ConfigJson), cancellationToken)];
    }

    async Task<IEnumerable<ExportRow>> RowsOfBatchAsync(Guid runId, IReadOnlyList<StoredGroup> batch, RunSettings settings, CancellationToken cancellationToken)
    {
        var advantages = await AdvantagesAsync(runId, batch, settings, cancellationToken);
        return batch.SelectMany(stored =>
        {
            var group = stored.Group;
            var scores = group.Scores.ToDictionary(s => s.Index);
            var groupAdvantages = advantages.GetValueOrDefault(group.PromptId);
            return group.Completions.OrderBy(c => c.Index).Select((completion, position) =>
            {
                var score = scores[completion.Index];
                return new ExportRow(group.Prompt.Text, completion.Text, score.Reward, score.Components, score.Verdict,
                    groupAdvantages?[position], group.PolicyVersion, group.BatchId, group.PromptId, stored.ConsumedAtStep,
                    PackedArrays.UnpackInts(completion.TokenIds), PackedArrays.UnpackFloats(completion.LogProbs), completion.FinishReason);
            });
        });
    }

    /// <summary>The advantages of the batch's trained-on groups by prompt id, each in completion-index order.</summary>
    async Task<Dictionary<int, float[]>> AdvantagesAsync(Guid runId, IReadOnlyList<StoredGroup> batch, RunSettings settings, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, float[]>();
        var byPrompt = batch.ToDictionary(g => g.Group.PromptId, g => g.Group);
        int batchId = batch[0].Group.BatchId;
        foreach (var stepNumber in batch.Select(g => g.ConsumedAtStep).OfType<int>().Distinct())
        {
            var step = await steps.GetAsync(runId, stepNumber, cancellationToken)
                ?? throw new InvalidDataException($"groups of batch {batchId} of run {runId} were consumed at step {stepNumber}, which is not recorded");
            // As ReplayTrainer reads the record: a stale batch is recorded with no version and every group dropped as stale.
            if (step.WasStale) continue;

            var consumed = step.Groups.Select(key => key.Batch == batchId && byPrompt.TryGetValue(key.Prompt, out var group) ? group
                : throw new InvalidDataException($"step {stepNumber} of run {runId} consumed group (batch {key.Batch}, prompt {key.Prompt}), which is not stored with batch {batchId}"))
                .ToArray();
            var computed = TrainingBatch.AdvantagesByGroup(consumed, settings.Grpo, settings.Run.MaxTokens);
            var dropped = step.Dropped.Select(d => (d.Batch, d.Prompt)).ToHashSet();
            for (int i = 0; i < consumed.Length; i++)
            {
                bool recordedTrained = !dropped.Contains(step.Groups[i]);
                if (recordedTrained != (computed[i] is not null))
                    throw new InvalidDataException(
                        $"step {stepNumber} of run {runId} {(recordedTrained ? "trained on" : "dropped")} group (batch {batchId}, prompt {consumed[i].PromptId}), " +
                        "but its stored rewards under the run's Grpo settings say otherwise: the advantages cannot be reconstructed");
                if (computed[i] is { } values) result[consumed[i].PromptId] = values;
            }
        }
        return result;
    }
}
