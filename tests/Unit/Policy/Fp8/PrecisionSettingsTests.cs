using Microsoft.Extensions.Configuration;
using Pipeline.Cli.Hosting;
using Pipeline.Hosting;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Training;

namespace Pipeline.Tests.Unit.Policy.Fp8;

public sealed class PrecisionSettingsTests
{
    [Theory]
    [InlineData("fp8", LinearPrecision.Fp8)]
    [InlineData("FP32", LinearPrecision.Fp32)]
    public void Pretrain_precision_binds_from_configuration(string value, LinearPrecision expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pretrain:Precision"] = value }).Build();

        Assert.Equal(expected, OptionsBinding.Bind<PretrainOptions>(configuration, PretrainOptions.Section).Precision);
    }

    [Fact]
    public void Precision_and_checkpoint_format_default_to_fp32()
    {
        Assert.Equal(LinearPrecision.Fp32, new PretrainOptions().Precision);
        Assert.Equal(LinearPrecision.Fp32, new GrpoOptions().Precision);
        Assert.Equal(CheckpointFormat.Fp32, new RunOptions().CheckpointFormat);
    }

    [Fact]
    public void Grpo_precision_and_run_checkpoint_format_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grpo:Precision"] = "fp8",
            ["Run:CheckpointFormat"] = "fp8",
        }).Build();

        Assert.Equal(LinearPrecision.Fp8, OptionsBinding.Bind<GrpoOptions>(configuration, GrpoOptions.SectionName).Precision);
        Assert.Equal(CheckpointFormat.Fp8, OptionsBinding.Bind<RunOptions>(configuration, RunOptions.Section).CheckpointFormat);
    }

    [Fact]
    public void An_unknown_precision_names_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pretrain:Precision"] = "fp4" }).Build();

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => OptionsBinding.Bind<PretrainOptions>(configuration, PretrainOptions.Section));
        Assert.Contains("Pretrain", error.Message);
    }
}
