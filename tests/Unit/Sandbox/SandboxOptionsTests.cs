using System.ComponentModel.DataAnnotations;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;

namespace Pipeline.Tests.Unit.Sandbox;

public sealed class SandboxOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_run_one_per_core()
    {
        var options = new SandboxOptions();
        options.Validate();
        Assert.Equal(Environment.ProcessorCount, options.MaxParallelRuns);
        Assert.Equal(65534, options.Uid);
        Assert.Equal("Sandbox", SandboxOptions.SectionName);
    }

    [Theory]
    [InlineData(nameof(SandboxOptions.Uid))]
    [InlineData(nameof(SandboxOptions.Gid))]
    [InlineData(nameof(SandboxOptions.CpuSeconds))]
    [InlineData(nameof(SandboxOptions.MaxParallelRuns))]
    [InlineData(nameof(SandboxOptions.MemoryMb))]
    [InlineData(nameof(SandboxOptions.WallSeconds))]
    public void ZeroIsRejectedNamingTheSetting(string setting)
    {
        var options = new SandboxOptions();
        var property = typeof(SandboxOptions).GetProperty(setting)!;
        property.SetValue(options, property.PropertyType == typeof(double) ? (object)0.0 : 0);
        var error = Assert.Throws<ValidationException>(options.Validate);
        Assert.StartsWith($"Sandbox:{setting}:", error.Message);
    }

    [Fact]
    public void Stdin_tests_share_a_sandbox_unless_configured_otherwise()
    {
        Assert.Equal(StdinTestsPerSandbox.Session, new SandboxOptions().StdinTestsPerSandbox);
        var options = new SandboxOptions { StdinTestsPerSandbox = (StdinTestsPerSandbox)7 };
        var error = Assert.Throws<ValidationException>(options.Validate);
        Assert.StartsWith("Sandbox:StdinTestsPerSandbox:", error.Message);
    }

    [Theory]
    [InlineData("/root/.pyenv/shims/python3")]
    [InlineData("python3")]
    [InlineData("")]
    public void The_interpreter_must_live_under_usr(string path)
    {
        var options = new SandboxOptions { PythonPath = path };
        var error = Assert.Throws<ValidationException>(options.Validate);
        Assert.StartsWith("Sandbox:PythonPath:", error.Message);
    }
}
