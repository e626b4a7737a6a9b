using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts;
using Pipeline.Data.Entities;
using Pipeline.Data.Stores;
using Pipeline.Hosting;
using Pipeline.Tests.Integration.Services;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Learner;

/// <summary>A run the learner cannot start is a failed run with the reason, and <c>pipeline train</c> against the
/// services says so and exits 1 — not "Started run …" and exit 0 with nothing behind it.</summary>
[Collection(DistributedCollection.Name)]
public sealed class StartRunRefusalTests(DistributedFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Train_against_a_missing_base_policy_exits_1_with_the_learners_reason()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var learner = cluster.StartLearner();
        await ServiceCluster.WaitUntilStartedAsync(learner);

        var missing = Path.Combine(fixture.WorkingDirectory, $"no-such-policy-{Guid.NewGuid():N}");
        await using var train = ObservedProcess.Start("pipeline train", DistributedFixture.Dll("pipeline"),
            ["train", "--config", fixture.SmokeConfig, "--set", $"Run:BasePolicy={missing}"], cluster.Environment(), fixture.WorkingDirectory);
        int exitCode = await train.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 1, $"pipeline train exited with {exitCode}\n{train.Tail()}");
        Assert.Contains(train.Lines, l => l.Text.Contains("refused run", StringComparison.Ordinal) && l.Text.Contains("is not a checkpoint directory", StringComparison.Ordinal));
        Assert.DoesNotContain(train.Lines, l => l.Text.StartsWith("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_whose_base_policy_lies_outside_the_learners_policy_root_is_refused_with_the_reason()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var root = Path.Combine(fixture.WorkingDirectory, "policies");
        var learner = cluster.StartLearner(new Dictionary<string, string> { ["Learner__PolicyRoot"] = root });
        await ServiceCluster.WaitUntilStartedAsync(learner);

        await using var train = ObservedProcess.Start("pipeline train", DistributedFixture.Dll("pipeline"),
            ["train", "--config", fixture.SmokeConfig, "--set", "Run:BasePolicy=/etc"], cluster.Environment(), fixture.WorkingDirectory);
        int exitCode = await train.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 1, $"pipeline train exited with {exitCode}\n{train.Tail()}");
        Assert.Contains(train.Lines, l => l.Text.Contains("refused run", StringComparison.Ordinal)
            && l.Text.Contains($"Run:BasePolicy '/etc' is not under Learner:PolicyRoot '{root}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forged_StartRun_whose_settings_are_not_JSON_fails_its_run_with_the_reason()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var learner = cluster.StartLearner();
        await ServiceCluster.WaitUntilStartedAsync(learner);

        var runId = Guid.NewGuid();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(cluster.Environment().ToDictionary(kv => kv.Key.Replace("__", ":"), kv => (string?)kv.Value)).Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.AddPipelineBus(builder.Configuration, _ => { });
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var endpoint = await host.Services.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(new Uri($"queue:{Queues.StartRun}"));
            await endpoint.Send(new StartRun { RunId = runId, ConfigJson = "{\"Run\": {\"Steps\": \"many\"\0" });
            await host.StopAsync();
        }

        await using var storage = cluster.Storage();
        var runs = storage.GetRequiredService<RunStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        Run? run;
        while ((run = await runs.GetAsync(runId)) is not { Status: not RunStatus.Running } && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.NotNull(run);
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("the run's settings are not readable:", run.Error);
    }
}
