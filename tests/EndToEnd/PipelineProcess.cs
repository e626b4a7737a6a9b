using System.Diagnostics;
using System.Text;

namespace Pipeline.Tests.EndToEnd;

/// <summary>Runs the real <c>pipeline</c> program (the build copied beside the tests) in a scratch directory.</summary>
public sealed class PipelineProcess : IDisposable
{
    public PipelineProcess()
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("pipeline-e2e-").FullName;
    }

    public string WorkingDirectory { get; }

    public string PathOf(string relative) => Path.Combine(WorkingDirectory, relative);

    /// <summary>Runs <c>pipeline</c> with <paramref name="arguments"/>; both streams together, and each apart.</summary>
    public async Task<PipelineRun> RunAsync(TimeSpan limit, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = WorkingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipeline.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The zero-setup default is what these tests exercise: drop the broker and database settings that the test
        // command exports for the integration tests.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Storage__") || k.StartsWith("RabbitMq__") || k.StartsWith("Hangfire__")).ToArray())
            start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var standardOutput = new StringBuilder();
        var standardError = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { if (e.Data is null) return; output.AppendLine(e.Data); standardOutput.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { if (e.Data is null) return; output.AppendLine(e.Data); standardError.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pipeline {string.Join(' ', arguments)} did not finish within {limit}:\n{output}");
        }
        process.WaitForExit();
        lock (output) return new PipelineRun(process.ExitCode, output.ToString(), standardOutput.ToString(), standardError.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(WorkingDirectory, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>One run of <c>pipeline</c>: its exit code, both streams interleaved as they came, and each stream alone.</summary>
public sealed record PipelineRun(int ExitCode, string Output, string StandardOutput, string StandardError)
{
    public void Deconstruct(out int exitCode, out string output)
    {
        exitCode = ExitCode;
        output = Output;
    }
}
