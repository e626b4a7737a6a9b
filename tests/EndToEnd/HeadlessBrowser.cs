using System.Diagnostics;

namespace Pipeline.Tests.EndToEnd;

/// <summary>Debian's <c>chromium</c> without a display: loads a page, runs its scripts and returns the DOM as the
/// browser built it (<c>--dump-dom</c>). infra/services.sh installs chromium where it is missing.</summary>
public static class HeadlessBrowser
{
    public const string Executable = "/usr/bin/chromium";

    public static async Task<string> DumpDomAsync(Uri page, TimeSpan limit)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: install Debian's chromium (infra/services.sh does)");
        var profile = Directory.CreateTempSubdirectory("pipeline-chromium-");
        try
        {
            var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            // --no-sandbox: the tests may run as root, where Chromium's own sandbox refuses to start.
            foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--user-data-dir={profile.FullName}", "--dump-dom", page.ToString() })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var dom = process.StandardOutput.ReadToEndAsync();
            var log = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not load {page} within {limit}:\n{await log}");
            }
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}:\n{await log}");
            return await dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
