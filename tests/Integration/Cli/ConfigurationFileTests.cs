using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Pipeline.Cli.Hosting;
using Pipeline.Cli.Workflows;
using Pipeline.Hosting;
using Pipeline.Learner.Runs;
using Pipeline.Policy.Training;
using Pipeline.Rewards;
using Pipeline.Rollout;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tests.Integration.Services;

namespace Pipeline.Tests.Integration.Cli;

/// <summary>The shipped configurations in configs/, read the way <c>pipeline … --config FILE</c> reads them.</summary>
public sealed class ConfigurationFileTests
{
    static FileInfo Config(string name) => new(Path.Combine(AppContext.BaseDirectory, "configs", name));

    /// <summary>Every section the command binds, validated, as JSON (so two configurations compare by value).</summary>
    static string[] Bound(IConfiguration configuration) =>
    [
        RunSettings.From(configuration).ToJson(),
        JsonSerializer.Serialize(OptionsBinding.Bind<PretrainOptions>(configuration, PretrainOptions.Section)),
        JsonSerializer.Serialize(OptionsBinding.Bind<CorpusOptions>(configuration, CorpusOptions.Section)),
        JsonSerializer.Serialize(OptionsBinding.Bind<RewardOptions>(configuration, RewardOptions.SectionName)),
        JsonSerializer.Serialize(OptionsBinding.Bind<RolloutOptions>(configuration, RolloutOptions.Section)),
    ];

    [Fact]
    public void The_full_example_is_valid_and_holds_exactly_the_demo_settings()
    {
        var example = PipelineConfiguration.Build(Config("example.json"), []);
        var demo = PipelineConfiguration.Build(null, []);
        Assert.Equal(Bound(demo), Bound(example));
    }

    [Fact]
    public void The_smoke_run_is_valid_small_and_makes_a_policy_version_from_every_batch()
    {
        var smoke = PipelineConfiguration.Build(Config("smoke.json"), []);
        Bound(smoke); // every section validates
        var run = RunSettings.From(smoke);
        Assert.InRange(run.Run.Steps, 5, 10);
        Assert.InRange(run.Run.PromptsPerBatch * run.Run.GroupSize * run.Run.MaxTokens, 1, 4096);
        // A few-step base policy rarely earns a reward, so every group would look alike: without dynamic sampling
        // each batch still makes a GRPO step, hence a version.
        Assert.False(run.Grpo.DynamicSampling);
        // The learner trains batches in the order they complete; with a batch in flight beside the current one, a
        // slow worker's batch can fall more than MaxOffPolicySteps behind and be stored but not trained on.
        // Strictly on-policy, every batch is trained on.
        Assert.Equal(0, run.Run.MaxOffPolicySteps);
        Assert.True(run.Run.EvaluateEvery > 0 && run.Run.Steps % run.Run.EvaluateEvery == 0);
    }

    [Theory]
    [InlineData("smoke.json")]
    [InlineData("example.json")]
    public void A_run_configuration_leaves_the_broker_and_database_to_the_environment(string name)
    {
        // --config wins over the environment: a RabbitMq or Storage section here would silently point
        // `pipeline train` away from the deployment that RabbitMq__* and Storage__* describe.
        var file = new ConfigurationBuilder().AddJsonFile(Config(name).FullName).Build();
        Assert.False(file.GetSection("RabbitMq").Exists(), $"{name} has a RabbitMq section");
        Assert.False(file.GetSection("Storage").Exists(), $"{name} has a Storage section");
    }
}
