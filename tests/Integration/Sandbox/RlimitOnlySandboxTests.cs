using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using CodeSandbox = Pipeline.Sandboxing.Sandbox;

namespace Pipeline.Tests.Integration.Sandbox;

/// <summary>The sandbox on a host without writable cgroup v1 (here: cgroups switched off): the shell's ulimit
/// stage alone must hold CPU, memory, processes and file size. In the sandbox collection, so no other run of the
/// same uid counts against the per-uid process limit meanwhile.</summary>
[Collection(SandboxCollection.Name)]
public sealed class RlimitOnlySandboxTests : IAsyncLifetime
{
    const string SumReference = """{"tests": [{"input": "1 2\n", "output": "3\n"}]}""";

    CodeSandbox _sandbox = null!;
    CodeScorer _scorer = null!;

    public async Task InitializeAsync()
    {
        var options = SandboxFixture.TestOptions();
        options.UseCgroups = false;
        _sandbox = await CodeSandbox.CreateAsync(options);
        _scorer = new CodeScorer(_sandbox);
    }

    public Task DisposeAsync()
    {
        _sandbox.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void The_isolation_line_says_there_are_no_cgroups() =>
        Assert.Contains("no per-run cgroups", _sandbox.Isolation);

    [Fact]
    public async Task An_infinite_loop_meets_the_cpu_limit_before_the_wall_clock()
    {
        var result = await _scorer.ScoreAsync(0, SandboxFixture.Completion("while True:\n    pass"), SumReference);
        SandboxFixture.AssertVerdict(CodeVerdict.TimeLimit, result);
        Assert.Equal("CPU time limit", result.Tests.Single().Detail);
    }

    [Theory]
    [InlineData("blocks = []\nwhile True:\n    blocks.append(b'x' * (4 << 20))", CodeVerdict.MemoryLimit)]
    [InlineData("import os\nwhile True:\n    os.fork()", CodeVerdict.RuntimeError)]
    [InlineData("with open('big', 'wb') as f:\n    while True:\n        f.write(b'x' * (1 << 20))", CodeVerdict.RuntimeError)]
    public async Task Limits_hold_with_rlimits_alone(string program, CodeVerdict expected)
    {
        var result = await _scorer.ScoreAsync(0, SandboxFixture.Completion(program), SumReference);
        SandboxFixture.AssertVerdict(expected, result);
        Assert.Equal(0, result.Score.Reward);

        var ok = await _scorer.ScoreAsync(
            1, SandboxFixture.Completion("import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))"), SumReference);
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, ok);
    }
}
