using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline dashboard</c> running in the background on a free loopback port, until disposed.</summary>
public sealed partial class PipelineServer : IAsyncDisposable
{
    readonly Process _process;

    PipelineServer(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public HttpClient Client() => new() { BaseAddress = Address };

    public static async Task<PipelineServer> StartDashboardAsync(PipelineProcess pipeline, TimeSpan limit)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = pipeline.WorkingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "pipeline.dll"), "dashboard", "--urls", "http://127.0.0.1:0" })
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Storage__") || k.StartsWith("RabbitMq__") || k.StartsWith("Hangfire__")).ToArray())
            start.Environment.Remove(name);
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            if (Listening().Match(line) is { Success: true } match) address.TrySetResult(new Uri(match.Groups[1].Value));
        }
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync().ContinueWith(_ => address.TrySetException(new InvalidOperationException($"pipeline dashboard exited:\n{output}")));
        try
        {
            return new PipelineServer(process, await address.Task.WaitAsync(limit));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    [GeneratedRegex(@"dashboard: (http://\S+)")]
    private static partial Regex Listening();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
