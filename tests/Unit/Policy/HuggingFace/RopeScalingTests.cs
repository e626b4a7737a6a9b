using Pipeline.Policy.Model;

namespace Pipeline.Tests.Unit.Policy.HuggingFace;

public sealed class RopeScalingTests
{
    // Llama 3.1's values: factor 8, low 1, high 4, original context 8192. Wavelengths below 8192/4 = 2048 keep their
    // frequency, above 8192/1 are slowed 8×, in between blend: at wavelength 4096, smooth = (8192/4096 − 1)/(4 − 1) = 1/3.
    static readonly RopeScaling Llama3 = new() { RopeType = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 8192 };

    [Fact]
    public void Llama3_keeps_high_frequencies_slows_low_ones_and_blends_between()
    {
        double high = 2 * Math.PI / 100, low = 2 * Math.PI / 20000, middle = 2 * Math.PI / 4096;

        var scaled = Llama3.Apply([high, low, middle]);

        Assert.Equal(high, scaled[0], 15);
        Assert.Equal(low / 8, scaled[1], 15);
        Assert.Equal((1 - 1.0 / 3) * middle / 8 + 1.0 / 3 * middle, scaled[2], 15);
    }

    [Fact]
    public void Linear_divides_every_frequency_and_unknown_kinds_are_refused_by_name()
    {
        Assert.Equal([0.25, 0.05], new RopeScaling { Type = "linear", Factor = 4 }.Apply([1.0, 0.2]));
        var error = Assert.Throws<InvalidDataException>(() => new RopeScaling { RopeType = "yarn", Factor = 4 }.Validate());
        Assert.Contains("yarn", error.Message);
    }
}
