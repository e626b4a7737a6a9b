using Pipeline.Learner.Replay;

namespace Pipeline.Orchestration.Export;

/// <summary>The file formats of <c>pipeline replay export</c>, chosen by the output file's extension.</summary>
public enum ExportFormat
{
    Jsonl,
    Parquet,
}

/// <summary>Writes a run's export to a file: the format from the extension (<c>.jsonl</c> or <c>.parquet</c>), the
/// rows written to <c>FILE.partial</c> beside it and renamed to FILE only once complete, so that FILE is never half
/// written and a failed or interrupted export leaves nothing behind (an existing FILE is replaced only on
/// success).</summary>
public static class ReplayExportFile
{
    /// <summary>The format a path's extension names; <see cref="ArgumentException"/> for any other extension.</summary>
    public static ExportFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" => ExportFormat.Jsonl,
        ".parquet" => ExportFormat.Parquet,
        var other => throw new ArgumentException(
            $"--out must end in .jsonl (JSON Lines) or .parquet, not {(other.Length == 0 ? "no extension" : $"'{other}'")}: {path}"),
    };

    public static async Task<ExportSummary> WriteAsync(ReplayExporter exporter, Guid runId, string path, IProgress<ExportProgress>? progress,
        CancellationToken cancellationToken)
    {
        var format = FormatOf(path);
        var target = Path.GetFullPath(path);
        if (!Directory.Exists(Path.GetDirectoryName(target)))
            throw new DirectoryNotFoundException($"the folder of --out does not exist: {Path.GetDirectoryName(target)}");
        var partial = target + ".partial";
        try
        {
            var summary = await exporter.ExportAsync(runId, async (columns, token) =>
            {
                var stream = new FileStream(partial, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
                try
                {
                    return format switch
                    {
                        ExportFormat.Jsonl => new JsonlExportWriter(stream, columns),
                        _ => await ParquetExportWriter.CreateAsync(stream, columns, token),
                    };
                }
                catch
                {
                    await stream.DisposeAsync();
                    throw;
                }
            }, progress, cancellationToken);
            File.Move(partial, target, overwrite: true);
            return summary;
        }
        catch
        {
            if (File.Exists(partial)) File.Delete(partial);
            throw;
        }
    }
}
