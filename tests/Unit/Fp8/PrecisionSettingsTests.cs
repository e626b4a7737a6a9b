using Microsoft.Extensions.Configuration;
using Pipeline.Cli.Hosting;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Training;

namespace Pipeline.Tests.Unit.Fp8;

public sealed class PrecisionSettingsTests
{
    [Theory]
    [InlineData("fp8", LinearPrecision.Fp8)]
    [InlineData("FP32", LinearPrecision.Fp32)]
    public void Pretrain_precision_binds_from_configuration(string value, LinearPrecision expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Pretrain:Precision"] = value }).Build();

        Assert.Equal(expected, PipelineConfiguration.Bind<PretrainOptions>(configuration, PretrainOptions.Section).Precision);
    }

    [Fact]
    public void Pretrain_precision_defaults_to_fp32()
    {
        Assert.Equal(LinearPrecision.Fp32, new PretrainOptions().Precision);
    }
}
