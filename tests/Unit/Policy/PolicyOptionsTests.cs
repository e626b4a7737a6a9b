using Microsoft.Extensions.Options;
using Pipeline.Hosting;
using Pipeline.Policy;
using Pipeline.Policy.Fp8;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

public sealed class PolicyOptionsTests
{
    [Theory]
    [InlineData("cpu", "float32")]
    [InlineData("cuda", "bfloat16")]
    [InlineData("cuda:1", "float32")]
    [InlineData("cpu", "auto")]
    public void Cpu_cuda_and_cuda_n_with_auto_float32_or_bfloat16_are_valid(string device, string dtype)
    {
        OptionsBinding.Validate(new PolicyOptions { Device = device, ComputeDtype = dtype }, PolicyOptions.Section);
    }

    [Theory]
    [InlineData("gpu", "float32", "Policy:Device")]
    [InlineData("cpu", "float16", "Policy:ComputeDtype")]
    public void Other_values_are_refused_naming_the_setting(string device, string dtype, string setting)
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            OptionsBinding.Validate(new PolicyOptions { Device = device, ComputeDtype = dtype }, PolicyOptions.Section));

        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public void The_compute_dtype_maps_to_libtorchs_and_cuda_without_a_device_is_a_clear_error()
    {
        Assert.Equal(bfloat16, new PolicyOptions { ComputeDtype = "bfloat16" }.Dtype());
        Assert.Equal(TorchSharp.DeviceType.CPU, new PolicyOptions().TorchDevice().type);
        if (cuda.is_available()) return;
        var error = Assert.Throws<ArgumentException>(() => new PolicyOptions { Device = "cuda" }.TorchDevice());
        Assert.Contains("TorchBackend=cuda", error.Message);
    }

    [Fact]
    public void Auto_is_the_default_and_picks_bfloat16_exactly_where_the_cpu_has_bf16_units()
    {
        var options = new PolicyOptions();
        Assert.Equal("auto", options.ComputeDtype);
        Assert.Equal(CpuFeatures.HasBf16Units(CpuFeatures.Current()) ? bfloat16 : float32, options.Dtype());
        Assert.Equal(float32, new PolicyOptions { Device = "cuda", ComputeDtype = "auto" }.Dtype());
    }

    [Theory]
    [InlineData("float32", LinearPrecision.Fp32, LinearPrecision.Fp32)]
    [InlineData("bfloat16", LinearPrecision.Fp32, LinearPrecision.Bf16)]
    [InlineData("bfloat16", LinearPrecision.Fp8, LinearPrecision.Fp8)]
    [InlineData("float32", LinearPrecision.Fp8, LinearPrecision.Fp8)]
    public void A_trained_policy_runs_its_gemms_in_bf16_when_the_process_computes_in_bf16_unless_the_run_asks_for_fp8(
        string dtype, LinearPrecision requested, LinearPrecision expected)
    {
        Assert.Equal(expected, new PolicyOptions { ComputeDtype = dtype }.TrainingPrecision(requested));
    }
}
