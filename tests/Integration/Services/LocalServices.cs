using System.Diagnostics;

namespace Pipeline.Tests.Integration.Services;

/// <summary>The throwaway RabbitMQ and PostgreSQL that <c>infra/test.sh</c> started with <c>infra/services.sh</c>
/// (its state directory is in <c>PIPELINE_SERVICES_DIR</c>): fault-injection tests restart them through the same
/// script, and identity tests read the exports it gives each service.</summary>
public static class LocalServices
{
    /// <summary>Stops one server (every client connection dropped), waits <paramref name="downSeconds"/>, starts it again.</summary>
    public static Task RestartAsync(string server, double downSeconds) =>
        RunAsync("restart", server, downSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Runs <c>infra/services.sh</c> with <paramref name="arguments"/>, asserts it succeeded and returns its
    /// standard output.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var script = Script();
        Assert.True(Environment.GetEnvironmentVariable("PIPELINE_SERVICES_DIR") is { Length: > 0 },
            "PIPELINE_SERVICES_DIR is not set: these tests need the servers infra/test.sh starts with infra/services.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(limit.Token);
        Assert.True(process.ExitCode == 0,
            $"services.sh {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        return await output;
    }

    static string Script()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "infra", "services.sh");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException($"infra/services.sh not found above {AppContext.BaseDirectory}");
    }
}
