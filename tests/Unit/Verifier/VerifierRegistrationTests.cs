using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Rewards.Countdown;
using Pipeline.Sandboxing;
using Pipeline.Verifier;
using Pipeline.Verifier.Jsonl;

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
        var score = services.GetRequiredService<CompletionScorerRouter>().ResolveRules("math")
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

        Assert.Equal(
            [typeof(MathScorer), typeof(CountdownScorer), typeof(CodeCompletionScorer)],
            collection.Where(d => d.ServiceType == typeof(ICompletionScorer)).Select(d => d.ImplementationType));
        Assert.Single(collection, d => d.ServiceType == typeof(SandboxProvider));
        Assert.Single(collection, d => d.ServiceType == typeof(GroupScorer));
        Assert.Single(collection, d => d.ServiceType == typeof(JsonlVerifier));
    }

    /// <summary>A machine without bubblewrap: the sandbox cannot be established, so code is refused with the
    /// probe's reason and nothing runs, while math scores as ever.</summary>
    static ServiceProvider WithoutSandbox() =>
        Build(("Sandbox:BubblewrapPath", "/nonexistent/bwrap"), ("Sandbox:UseCgroups", "false"));

    [Fact]
    public async Task Without_a_sandbox_code_is_refused_with_the_reason_and_math_still_scores()
    {
        using var services = WithoutSandbox();
        var router = services.GetRequiredService<CompletionScorerRouter>();
        var reference = """{"tests": [{"input": "1 2\n", "output": "3\n"}]}""";
        var program = "<think>sum</think><answer>\n```python\nprint(sum(map(int, input().split())))\n```\n</answer>";

        var refusal = await Assert.ThrowsAsync<SandboxUnavailableException>(
            () => router.Resolve("code").ScoreAsync(0, program, reference, CancellationToken.None).AsTask());
        var math = await router.Resolve("math").ScoreAsync(1, "<think>a</think><answer>4</answer>", "4", CancellationToken.None);

        Assert.Equal("bubblewrap not found at '/nonexistent/bwrap' (apt-get install bubblewrap)", refusal.Reason);
        Assert.Contains("code tasks are refused", refusal.Message);
        Assert.Equal(1.5, math.Reward);
        Assert.Equal("equivalent", math.Verdict);
    }

    [Fact]
    public async Task The_sandbox_is_established_once_and_its_refusal_kept()
    {
        using var services = WithoutSandbox();
        var sandboxes = services.GetRequiredService<SandboxProvider>();

        var first = await sandboxes.CheckAsync(CancellationToken.None);
        var second = await sandboxes.CheckAsync(CancellationToken.None);

        Assert.False(first.Available);
        Assert.Contains("/nonexistent/bwrap", first.Detail);
        Assert.Equal(first, second);
        Assert.Same(sandboxes.GetAsync(CancellationToken.None).Exception!.InnerException,
            sandboxes.GetAsync(CancellationToken.None).Exception!.InnerException);
    }

    [Fact]
    public async Task A_malformed_code_reference_is_the_input_s_fault_even_without_a_sandbox()
    {
        using var services = WithoutSandbox();
        var code = services.GetRequiredService<CompletionScorerRouter>().Resolve("code");

        var error = await Assert.ThrowsAsync<ScoringInputException>(
            () => code.ScoreAsync(0, "<answer>```\nx\n```</answer>", """{"tests": []}""", CancellationToken.None).AsTask());

        Assert.Contains("neither \"tests\" nor \"test_code\"", error.Message);
    }

    [Theory]
    [InlineData("Sandbox:CpuSeconds", "0")]
    [InlineData("Sandbox:PythonPath", "/opt/python3")]
    [InlineData("Sandbox:MaxParallelRuns", "0")]
    public void A_bad_sandbox_setting_is_refused_with_its_name(string key, string value)
    {
        using var services = Build((key, value));
        var error = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<SandboxOptions>>().Value);

        Assert.Contains(key, error.Message);
    }
}
