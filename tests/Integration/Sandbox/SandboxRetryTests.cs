using Microsoft.Extensions.Options;
using Pipeline.Sandboxing;

namespace Pipeline.Tests.Integration.Sandbox;

/// <summary>A sandbox that could not be established is not remembered as broken for the life of the process: once
/// <see cref="SandboxOptions.RetrySeconds"/> have passed, the next request tries again and, the fault fixed, succeeds.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SandboxRetryTests : IDisposable
{
    readonly string _directory = Directory.CreateTempSubdirectory("pipeline-sandbox-retry-").FullName;

    [Fact]
    public async Task A_sandbox_that_failed_is_established_on_a_later_request_once_the_fault_is_fixed()
    {
        var bwrap = Path.Combine(_directory, "bwrap");
        var options = SandboxFixture.TestOptions();
        options.BubblewrapPath = bwrap;
        options.RetrySeconds = 0;
        using var provider = new SandboxProvider(Options.Create(options));

        var broken = await provider.CheckAsync(CancellationToken.None);
        Assert.False(broken.Available);
        Assert.Contains("bubblewrap not found", broken.Detail);

        File.CreateSymbolicLink(bwrap, Installed("bwrap"));
        var healed = await provider.CheckAsync(CancellationToken.None);
        Assert.True(healed.Available, healed.Detail);
    }

    [Fact]
    public async Task Within_the_retry_interval_the_failure_is_answered_without_probing_again()
    {
        var bwrap = Path.Combine(_directory, "bwrap");
        var options = SandboxFixture.TestOptions();
        options.BubblewrapPath = bwrap;
        options.RetrySeconds = 3600;
        using var provider = new SandboxProvider(Options.Create(options));

        Assert.False((await provider.CheckAsync(CancellationToken.None)).Available);
        File.CreateSymbolicLink(bwrap, Installed("bwrap"));
        Assert.False((await provider.CheckAsync(CancellationToken.None)).Available);
    }

    static string Installed(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException($"{tool} is not installed (the test command installs bubblewrap)");

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
