using Microsoft.Extensions.Options;
using Pipeline.Hosting;
using Pipeline.Policy;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

public sealed class PolicyOptionsTests
{
    [Theory]
    [InlineData("cpu", "float32")]
    [InlineData("cuda", "bfloat16")]
    [InlineData("cuda:1", "float32")]
    public void Cpu_cuda_and_cuda_n_with_float32_or_bfloat16_are_valid(string device, string dtype)
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
}
