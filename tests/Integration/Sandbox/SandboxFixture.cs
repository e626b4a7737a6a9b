using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using CodeSandbox = Pipeline.Sandboxing.Sandbox;

namespace Pipeline.Tests.Integration.Sandbox;

/// <summary>One real sandbox for every sandbox test (they run one after another in this collection). Creating it
/// probes bubblewrap: where the sandbox cannot be established every test here fails, none is skipped.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    /// <summary>Tight limits keep the hostile cases quick: 1 CPU second, 4 s wall (room for Python to start on a loaded
    /// 2-core machine), 128 MiB, 16 processes.</summary>
    public static SandboxOptions TestOptions() => new()
    {
        CpuSeconds = 1,
        WallSeconds = 4,
        MemoryMb = 128,
        MaxProcesses = 16,
        MaxOutputBytes = 64 * 1024,
        TmpfsMb = 8,
        MaxParallelRuns = 2,
    };

    public CodeSandbox Sandbox { get; private set; } = null!;
    public CodeScorer Scorer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await CodeSandbox.CreateAsync(TestOptions());
        Scorer = new CodeScorer(Sandbox);
    }

    public Task DisposeAsync()
    {
        Sandbox?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Asserts a completion's verdict, showing every test's verdict and detail when it differs.</summary>
    public static void AssertVerdict(CodeVerdict expected, CodeScoreResult result) =>
        Assert.True(result.Verdict == expected,
            $"expected {expected}, got {result.Verdict}: " +
            string.Join("; ", result.Tests.Select(t => $"{t.Verdict} ({t.Detail})")) + result.Detail);

    public static string Completion(string program) =>
        $"<think>Let me write it.</think>\n<answer>\n```python\n{program}\n```\n</answer>";
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "Sandbox";
}
