using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Learner.Replay;

namespace Pipeline.Orchestration.Export;

/// <summary>An export as JSON Lines: one object per completion with every column of <see cref="ExportColumns"/> in
/// order (a component the completion lacks, an advantage or step it has none of: null). Numbers are written in their
/// shortest round-trip form — log-probs and the advantage as the float32 values they are — and a non-finite number,
/// which JSON has no literal for, as the string "NaN", "Infinity" or "-Infinity". Text is not HTML-escaped.</summary>
public sealed class JsonlExportWriter(Stream stream, ExportColumns columns) : IExportWriter
{
    readonly Utf8JsonWriter json = new(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public ValueTask WriteAsync(ExportRow row, CancellationToken cancellationToken)
    {
        json.WriteStartObject();
        json.WriteString(ExportColumns.Prompt, row.Prompt);
        json.WriteString(ExportColumns.Completion, row.Completion);
        Number(ExportColumns.Reward, row.Reward);
        for (int i = 0; i < columns.ComponentKeys.Count; i++)
        {
            if (row.Components.TryGetValue(columns.ComponentKeys[i], out var value)) Number(columns.ComponentColumns[i], value);
            else json.WriteNull(columns.ComponentColumns[i]);
        }
        json.WriteString(ExportColumns.Verdict, row.Verdict);
        if (row.Advantage is { } advantage) Number(ExportColumns.Advantage, advantage);
        else json.WriteNull(ExportColumns.Advantage);
        json.WriteNumber(ExportColumns.PolicyVersion, row.PolicyVersion);
        json.WriteNumber(ExportColumns.Batch, row.Batch);
        json.WriteNumber(ExportColumns.PromptId, row.PromptId);
        if (row.Step is { } step) json.WriteNumber(ExportColumns.Step, step);
        else json.WriteNull(ExportColumns.Step);
        json.WriteStartArray(ExportColumns.TokenIds);
        foreach (var token in row.TokenIds) json.WriteNumberValue(token);
        json.WriteEndArray();
        json.WriteStartArray(ExportColumns.LogProbs);
        foreach (var logProb in row.LogProbs) NumberValue(logProb);
        json.WriteEndArray();
        json.WriteString(ExportColumns.FinishReason, row.FinishReason);
        json.WriteEndObject();
        json.Flush();
        json.Reset();
        stream.WriteByte((byte)'\n');
        return ValueTask.CompletedTask;
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken) => await stream.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await json.DisposeAsync();
        await stream.DisposeAsync();
    }

    void Number(string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    void Number(string name, float value)
    {
        if (float.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    void NumberValue(float value)
    {
        if (float.IsFinite(value)) json.WriteNumberValue(value);
        else json.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }
}
