using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Learner.Grpo;

namespace Pipeline.Tests.Unit.Learner.Grpo;

public sealed class GrpoOptionsTests
{
    [Fact]
    public void Defaults_follow_the_papers()
    {
        var options = Bind([]);

        Assert.Equal(AdvantageScale.Group, options.AdvantageScale);
        Assert.Equal(0.2, options.EpsLow);
        Assert.Equal(0.28, options.EpsHigh);
        Assert.Equal(LossAggregation.Dapo, options.Aggregation);
        Assert.Equal(0.04, options.Beta);
        Assert.Equal(KlEstimator.K3, options.KlEstimator);
        Assert.True(options.DynamicSampling);
        Assert.Equal(1.0, options.MaxGradNorm);
        Assert.Equal(1e-4, options.LearningRate);
        Assert.Equal(0.0, options.WeightDecay);
        Assert.Equal(0.9, options.AdamBeta1);
        Assert.Equal(0.95, options.AdamBeta2);
        Assert.Equal(0, options.OverlongBuffer);
        Assert.Null(options.DrGrpoNormalizer);
    }

    [Fact]
    public void Enums_bind_from_the_papers_spelling_and_the_csharp_spelling()
    {
        var options = Bind(new()
        {
            ["Grpo:Aggregation"] = "dr_grpo",
            ["Grpo:KlEstimator"] = "k1",
            ["Grpo:AdvantageScale"] = "None",
            ["Grpo:Beta"] = "0",
            ["Grpo:EpsHigh"] = "0.3",
            ["Grpo:DrGrpoNormalizer"] = "512",
        });

        Assert.Equal(LossAggregation.DrGrpo, options.Aggregation);
        Assert.Equal(KlEstimator.K1, options.KlEstimator);
        Assert.Equal(AdvantageScale.None, options.AdvantageScale);
        Assert.Equal(0.0, options.Beta);
        Assert.Equal(0.3, options.EpsHigh);
        Assert.Equal(512, options.DrGrpoNormalizer);
    }

    [Theory]
    [InlineData("EpsLow", "1.0")]
    [InlineData("Beta", "-0.1")]
    [InlineData("MaxGradNorm", "0")]
    [InlineData("Aggregation", "7")]
    [InlineData("DrGrpoNormalizer", "0")]
    public void A_bad_value_fails_validation_naming_the_setting(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"Grpo:{key}"] = value }));

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void An_unknown_enum_name_fails_binding_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bind(new() { ["Grpo:Aggregation"] = "ppo" }));

        Assert.Contains("Grpo:Aggregation", error.Message);
    }

    static GrpoOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddOptions<GrpoOptions>()
            .Bind(configuration.GetSection(GrpoOptions.SectionName))
            .ValidateDataAnnotations();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GrpoOptions>>().Value;
    }
}
