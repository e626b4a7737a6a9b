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

    public async Task<(int ExitCode, string Output)> RunAsync(TimeSpan limit, params string[] arguments)
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
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
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
        lock (output) return (process.ExitCode, output.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(WorkingDirectory, recursive: true); }
        catch (IOException) { }
    }
}
