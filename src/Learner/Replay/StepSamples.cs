using Pipeline.Dashboard;
using Pipeline.Data.Stores;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Tokenization;

namespace Pipeline.Learner.Replay;

/// <summary>The dashboard's completions of a step, read as <c>replay export</c> reads them (<see cref="ReplayExporter.BatchRowsAsync"/>):
/// the advantage is the one the learner trained with, recomputed from the record with the run's own settings. Tokens
/// are shown as the run's base policy's tokenizer reads them (a whole-number token as its number); where that
/// checkpoint is not on this machine, as bytes.</summary>
public sealed class StepSamples(ReplayExporter exporter, RunStore runs) : IStepSamples
{
    public async Task<IReadOnlyList<SampleRow>> ReadAsync(Guid runId, int step, CancellationToken cancellationToken)
    {
        var rows = await exporter.BatchRowsAsync(runId, step, cancellationToken);
        if (rows.Count == 0) return [];
        var tokenizer = await TokenizerOfAsync(runId, cancellationToken);
        return rows.Select(r => new SampleRow(r.PromptId, r.Prompt, 0, r.Completion, r.Reward, r.Components, r.Verdict, r.Advantage,
            r.PolicyVersion, r.Step, r.FinishReason,
            r.TokenIds.Select((id, i) => new SampleToken(id, TokenText(tokenizer, id), i < r.LogProbs.Length ? r.LogProbs[i] : 0f)).ToArray()))
            .GroupBy(r => r.PromptId).SelectMany(g => g.Select((r, index) => r with { Index = index })).ToArray();
    }

    async Task<PolicyTokenizer> TokenizerOfAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        var basePolicy = run is null ? null : RunSettings.FromJson(run.ConfigJson).Run.BasePolicy;
        return basePolicy is not null && Checkpoint.Exists(basePolicy) ? PolicyTokenizer.Of(basePolicy) : ByteTokenizer.Instance;
    }

    /// <summary>A token as text; a special token (end of sequence, a tag) that decodes to nothing shows as ∎.</summary>
    static string TokenText(PolicyTokenizer tokenizer, int id) => tokenizer.Decode([id]) is { Length: > 0 } text ? text : "∎";
}
