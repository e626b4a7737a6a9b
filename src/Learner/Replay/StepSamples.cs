using Pipeline.Dashboard;
using Pipeline.Policy.Tokenization;

namespace Pipeline.Learner.Replay;

/// <summary>The dashboard's completions of a step, read as <c>replay export</c> reads them (<see cref="ReplayExporter.BatchRowsAsync"/>):
/// the advantage is the one the learner trained with, recomputed from the record with the run's own settings.</summary>
public sealed class StepSamples(ReplayExporter exporter) : IStepSamples
{
    public async Task<IReadOnlyList<SampleRow>> ReadAsync(Guid runId, int step, CancellationToken cancellationToken)
    {
        var rows = await exporter.BatchRowsAsync(runId, step, cancellationToken);
        return rows.Select(r => new SampleRow(r.PromptId, r.Prompt, 0, r.Completion, r.Reward, r.Components, r.Verdict, r.Advantage,
            r.PolicyVersion, r.Step, r.FinishReason,
            r.TokenIds.Select((id, i) => new SampleToken(id, TokenText(id), i < r.LogProbs.Length ? r.LogProbs[i] : 0f)).ToArray()))
            .GroupBy(r => r.PromptId).SelectMany(g => g.Select((r, index) => r with { Index = index })).ToArray();
    }

    /// <summary>A token as text; a special token (end of sequence, a tag) that decodes to nothing shows as ∎.</summary>
    static string TokenText(int id) => ByteTokenizer.Instance.Decode([id]) is { Length: > 0 } text ? text : "∎";
}
