using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data;
using Pipeline.Data.Stores;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Tests.EndToEnd;

/// <summary>The walking skeleton's promise, run for real with the shipped defaults: a base policy is built, GRPO
/// lifts its held-out accuracy well above both the base and its own pretraining corpus, and the run database holds
/// every scored group exactly once with every checkpoint matching its recorded hash.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_with_default_settings_learns_beyond_its_corpus_and_records_the_run_exactly()
    {
        using var pipeline = new PipelineProcess();
        var (exitCode, output) = await pipeline.RunAsync(TimeSpan.FromMinutes(45), "demo", "--json", "demo.json");
        Assert.True(exitCode == 0, output);

        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("demo.json")));
        var root = summary.RootElement;
        double baseAccuracy = root.GetProperty("base").GetProperty("accuracy").GetDouble();
        double finalAccuracy = root.GetProperty("final").GetProperty("accuracy").GetDouble();
        double finalFormat = root.GetProperty("final").GetProperty("format_rate").GetDouble();
        double corpusAccuracy = root.GetProperty("corpus_accuracy").GetDouble();
        Assert.InRange(root.GetProperty("base").GetProperty("pass_at_8").GetDouble(), 0, 1);
        Assert.True(finalAccuracy >= 0.90, $"final held-out accuracy {finalAccuracy}\n{output}");
        Assert.True(finalAccuracy - baseAccuracy >= 0.25, $"base {baseAccuracy} → final {finalAccuracy}");
        Assert.True(finalFormat >= 0.95, $"final format rate {finalFormat}");
        Assert.True(finalAccuracy > corpusAccuracy, $"final {finalAccuracy} is not above the corpus's {corpusAccuracy}");
        int versions = root.GetProperty("policy_versions").GetInt32();
        Assert.InRange(versions, 1, 20);
        var curve = root.GetProperty("curve").EnumerateArray().ToArray();
        Assert.Equal(0, curve[0].GetProperty("version").GetInt32());
        Assert.Equal(baseAccuracy, curve[0].GetProperty("accuracy").GetDouble());
        Assert.Equal(curve.Length, root.GetProperty("mean_completion_tokens").GetArrayLength());
        Assert.InRange(root.GetProperty("final").GetProperty("mean_completion_tokens").GetDouble(), 1, 1000);
        Assert.False(root.TryGetProperty("self_verification_rate", out _), "arithmetic has no self-verification rate");

        var runId = root.GetProperty("run_id").GetGuid();
        await using var services = Storage(pipeline);
        var run = await services.GetRequiredService<RunSummaryQuery>().GetAsync(runId);
        Assert.NotNull(run);
        Assert.Equal(20 * 16, run.GroupsScored);
        Assert.Equal(0, run.DuplicatesIgnored);
        var published = await services.GetRequiredService<PolicyVersionStore>().ListAsync(runId);
        Assert.Equal(Enumerable.Range(0, versions + 1), published.Select(v => v.Version).Order());
        foreach (var version in published)
            Assert.Equal(version.Sha256, Checkpoint.Sha256(Path.Combine(CheckpointUris.ToPath(version.CheckpointUri), Checkpoint.WeightsFile)));
    }

    static ServiceProvider Storage(PipelineProcess pipeline)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "sqlite",
            ["Storage:ConnectionString"] = $"Data Source={pipeline.PathOf(".pipeline/pipeline.db")}",
        }).Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddPipelineData(configuration).BuildServiceProvider();
    }
}
