using Parquet;
using Parquet.Schema;
using Pipeline.Learner.Replay;

namespace Pipeline.Orchestration.Export;

/// <summary>
/// An export as one Parquet file (Parquet.Net, Snappy-compressed): the columns of <see cref="ExportColumns"/> in
/// order — <c>prompt</c>, <c>completion</c>, <c>verdict</c>, <c>finish_reason</c> strings; <c>reward</c> double;
/// one nullable double per reward component; <c>advantage</c> nullable float; <c>policy_version</c>, <c>batch</c>,
/// <c>prompt_id</c> int32; <c>step</c> nullable int32; <c>token_ids</c> list&lt;int32&gt;; <c>logprobs</c>
/// list&lt;float&gt; (the standard three-level LIST layout; an empty list stays empty, not null).
/// Rows are buffered into row groups of at most <see cref="RowGroupRows"/> rows and <see cref="RowGroupTokens"/>
/// tokens, so memory stays bounded however many rows the file gets.
/// </summary>
public sealed class ParquetExportWriter : IExportWriter
{
    public const int RowGroupRows = 10_000;

    /// <summary>A row group is also closed once its completions hold this many tokens (long completions).</summary>
    public const long RowGroupTokens = 4_000_000;

    readonly Stream stream;
    readonly ParquetWriter writer;
    readonly ExportColumns columns;
    readonly ParquetExportSchema fields;
    readonly int rowGroupRows;
    readonly List<ExportRow> pending = [];
    long pendingTokens;

    ParquetExportWriter(Stream stream, ParquetWriter writer, ExportColumns columns, ParquetExportSchema fields, int rowGroupRows)
    {
        this.stream = stream;
        this.writer = writer;
        this.columns = columns;
        this.fields = fields;
        this.rowGroupRows = rowGroupRows;
    }

    /// <summary>Starts the file on <paramref name="stream"/> (writable and seekable), which the writer then owns.</summary>
    /// <param name="rowGroupRows">the most rows a row group gets (smaller in tests)</param>
    public static async ValueTask<ParquetExportWriter> CreateAsync(Stream stream, ExportColumns columns, CancellationToken cancellationToken,
        int rowGroupRows = RowGroupRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowGroupRows);
        var fields = new ParquetExportSchema(columns);
        var writer = await ParquetWriter.CreateAsync(fields.Schema, stream, cancellationToken: cancellationToken);
        return new ParquetExportWriter(stream, writer, columns, fields, rowGroupRows);
    }

    public async ValueTask WriteAsync(ExportRow row, CancellationToken cancellationToken)
    {
        pending.Add(row);
        pendingTokens += row.TokenIds.Length;
        if (pending.Count >= rowGroupRows || pendingTokens >= RowGroupTokens) await FlushAsync(cancellationToken);
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken) => await FlushAsync(cancellationToken);

    /// <summary>Writes the footer (closing the file) and the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync();
        await stream.DisposeAsync();
    }

    async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (pending.Count == 0) return;
        var f = fields;
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync(f.Prompt, pending.Select(r => r.Prompt).ToArray());
            await group.WriteAsync(f.Completion, pending.Select(r => r.Completion).ToArray());
            await group.WriteAsync<double>(f.Reward, pending.Select(r => r.Reward).ToArray(), cancellationToken: cancellationToken);
            for (int i = 0; i < f.Components.Count; i++)
            {
                var key = columns.ComponentKeys[i];
                await group.WriteAsync<double>(f.Components[i],
                    pending.Select(r => r.Components.TryGetValue(key, out var value) ? value : (double?)null).ToArray(), cancellationToken: cancellationToken);
            }
            await group.WriteAsync(f.Verdict, pending.Select(r => r.Verdict).ToArray());
            await group.WriteAsync<float>(f.Advantage, pending.Select(r => r.Advantage).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<int>(f.PolicyVersion, pending.Select(r => r.PolicyVersion).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<int>(f.Batch, pending.Select(r => r.Batch).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<int>(f.PromptId, pending.Select(r => r.PromptId).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<int>(f.Step, pending.Select(r => r.Step).ToArray(), cancellationToken: cancellationToken);
            await WriteListAsync(group, f.TokenIds, pending.Select(r => r.TokenIds), cancellationToken);
            await WriteListAsync(group, f.LogProbs, pending.Select(r => r.LogProbs), cancellationToken);
            await group.WriteAsync(f.FinishReason, pending.Select(r => r.FinishReason).ToArray());
            group.CompleteValidate();
        }
        pending.Clear();
        pendingTokens = 0;
    }

    /// <summary>One list per row, as Parquet's repetition and definition levels: each element has definition level
    /// <c>max</c> (list present, element present) and repetition level 0 when it starts its row's list, 1 otherwise;
    /// an empty list is one entry of level <c>max − 1</c> (list present, no element) with no value.</summary>
    static async Task WriteListAsync<T>(ParquetRowGroupWriter group, DataField element, IEnumerable<T[]> lists, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new List<T>();
        var definitions = new List<int>();
        var repetitions = new List<int>();
        int present = element.MaxDefinitionLevel;
        foreach (var list in lists)
        {
            if (list.Length == 0)
            {
                definitions.Add(present - 1);
                repetitions.Add(0);
                continue;
            }
            for (int i = 0; i < list.Length; i++)
            {
                values.Add(list[i]);
                definitions.Add(present);
                repetitions.Add(i == 0 ? 0 : 1);
            }
        }
        await group.WriteAllPartsAsync<T>(element, values.ToArray(), definitions.ToArray(), repetitions.ToArray(), cancellationToken);
    }
}

/// <summary>The Parquet schema of an export and its data fields (a list column's field is its element).</summary>
public sealed class ParquetExportSchema
{
    public ParquetExportSchema(ExportColumns columns)
    {
        Components = columns.ComponentColumns.Select(name => (DataField)new DataField<double?>(name)).ToArray();
        Schema = new ParquetSchema(new Field[] { Prompt, Completion, Reward }
            .Concat(Components)
            .Concat([Verdict, Advantage, PolicyVersion, Batch, PromptId, Step,
                new ListField(ExportColumns.TokenIds, TokenIds), new ListField(ExportColumns.LogProbs, LogProbs), FinishReason]));
    }

    public ParquetSchema Schema { get; }
    public DataField Prompt { get; } = new DataField<string>(ExportColumns.Prompt, false);
    public DataField Completion { get; } = new DataField<string>(ExportColumns.Completion, false);
    public DataField Reward { get; } = new DataField<double>(ExportColumns.Reward);

    /// <summary>One per <see cref="ExportColumns.ComponentColumns"/>, nullable.</summary>
    public IReadOnlyList<DataField> Components { get; }

    public DataField Verdict { get; } = new DataField<string>(ExportColumns.Verdict, false);
    public DataField Advantage { get; } = new DataField<float?>(ExportColumns.Advantage);
    public DataField PolicyVersion { get; } = new DataField<int>(ExportColumns.PolicyVersion);
    public DataField Batch { get; } = new DataField<int>(ExportColumns.Batch);
    public DataField PromptId { get; } = new DataField<int>(ExportColumns.PromptId);
    public DataField Step { get; } = new DataField<int?>(ExportColumns.Step);

    /// <summary>The element of the <c>token_ids</c> list.</summary>
    public DataField TokenIds { get; } = new DataField<int>(ListField.ElementName);

    /// <summary>The element of the <c>logprobs</c> list.</summary>
    public DataField LogProbs { get; } = new DataField<float>(ListField.ElementName);

    public DataField FinishReason { get; } = new DataField<string>(ExportColumns.FinishReason, false);
}
