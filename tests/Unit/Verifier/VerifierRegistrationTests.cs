using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Verifier;
using Pipeline.Verifier.Jsonl;
using Pipeline.Verifier.Rewards;

namespace Pipeline.Tests.Unit.Verifier;

public class VerifierRegistrationTests
{
    static ServiceProvider Build(params (string Key, string Value)[] settings) => new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build())
        .AddVerifier()
        .BuildServiceProvider(validateScopes: true);

    [Fact]
    public void Defaults_are_one_and_a_half()
    {
        using var services = Build();
        var options = services.GetRequiredService<IOptions<RewardOptions>>().Value;

        Assert.Equal(1.0, options.AccuracyWeight);
        Assert.Equal(0.5, options.FormatWeight);
    }

    [Fact]
    public void Weights_bind_from_the_rewards_section()
    {
        using var services = Build(("Rewards:AccuracyWeight", "2"), ("Rewards:FormatWeight", "0.1"));
        var score = services.GetRequiredService<CompletionScorerRouter>().Resolve("math")
            .Score(0, "<think>a</think><answer>4</answer>", "4");

        Assert.Equal(2.1, score.Reward, 12);
    }

    [Theory]
    [InlineData("Rewards:FormatWeight", "-0.5")]
    [InlineData("Rewards:AccuracyWeight", "NaN")]
    [InlineData("Rewards:AccuracyWeight", "Infinity")]
    public void A_bad_weight_is_refused_with_its_name(string key, string value)
    {
        using var services = Build((key, value));
        var error = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<RewardOptions>>().Value);

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void Registers_the_scoring_services_once()
    {
        var collection = new ServiceCollection().AddVerifier().AddVerifier();

        Assert.Single(collection, d => d.ServiceType == typeof(ICompletionScorer));
        Assert.Single(collection, d => d.ServiceType == typeof(GroupScorer));
        Assert.Single(collection, d => d.ServiceType == typeof(JsonlVerifier));
    }
}
