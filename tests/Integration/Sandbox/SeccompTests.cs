using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;

namespace Pipeline.Tests.Integration.Sandbox;

/// <summary>The seccomp filter in a real sandbox: calls a breakout would need fail with EPERM while ordinary
/// programs run, and the filter's descriptor does not reach the program.</summary>
[Collection(SandboxCollection.Name)]
public sealed class SeccompTests(SandboxFixture fixture)
{
    const string DeniedReference = """{"tests": [{"input": "", "output": "-1 1\n"}]}""";

    [Fact]
    public void The_isolation_line_names_the_filter() =>
        Assert.Contains("seccomp (", fixture.Sandbox.Isolation);

    [Theory]
    [InlineData(101, "0, 0, 0, 0")]     // ptrace(PTRACE_TRACEME): allowed to any process without the filter
    [InlineData(312, "0, 0, 0, 0, 0")]  // kcmp(0, 0, KCMP_FILE, 0, 0): compares the caller with itself
    [InlineData(250, "0, -3, 0")]       // keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0)
    public async Task Denied_calls_fail_with_eperm(int number, string arguments)
    {
        var program = $"""
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            result = libc.syscall({number}, {arguments})
            print(result, ctypes.get_errno() if result == -1 else 0)
            """;
        var result = await fixture.Scorer.ScoreAsync(0, SandboxFixture.Completion(program), DeniedReference);
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, result);
    }

    [Fact]
    public async Task Switched_off_the_filter_is_gone_and_the_isolation_line_says_so()
    {
        var options = SandboxFixture.TestOptions();
        options.UseSeccomp = false;
        using var sandbox = await Pipeline.Sandboxing.Sandbox.CreateAsync(options);
        Assert.Contains("seccomp disabled by configuration", sandbox.Isolation);

        var result = await new CodeScorer(sandbox).ScoreAsync(0, SandboxFixture.Completion("""
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            print(libc.syscall(101, 0, 0, 0, 0))
            """), """{"tests": [{"input": "", "output": "0\n"}]}""");
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, result);
    }

    [Fact]
    public async Task The_filter_descriptor_is_closed_before_the_program_starts()
    {
        const string program = """
            import os
            try:
                os.fstat(3)
                print('open')
            except OSError:
                print('closed')
            """;
        var result = await fixture.Scorer.ScoreAsync(
            0, SandboxFixture.Completion(program), """{"tests": [{"input": "", "output": "closed\n"}]}""");
        SandboxFixture.AssertVerdict(CodeVerdict.Accepted, result);
    }
}
