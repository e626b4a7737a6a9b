using System.Text.Json;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Tests.Integration.Services;
using Pipeline.Tests.Integration.Verifier;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Learner;

/// <summary>A run that cannot go on fails with the reason, instead of waiting forever: a group that no verifier can
/// score ends in the verifier's error queue, and the learner hears of it through MassTransit's Fault; a version whose
/// record fails ends the learner's loop, which may be waiting for the very batch that record was to dispatch.</summary>
[Collection(DistributedCollection.Name)]
public sealed class RunFaultTests(DistributedFixture fixture, ITestOutputHelper output)
{
    const string StartedLine = "Run {RunId} ({Name}) started";

    [Fact]
    public async Task A_group_that_cannot_be_scored_fails_its_run_with_the_reason()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var learner = cluster.StartLearner();
        var verifier = cluster.StartVerifier("verifier");
        await ServiceCluster.WaitUntilStartedAsync(learner, verifier);
        await using var services = BrokerProbe.Harness(cluster, _ => { });
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var factory = new ConnectionFactory { Uri = fixture.RabbitMq };
        await using var connection = await factory.CreateConnectionAsync();

        // No rollout worker: the test plays one whose group for batch 0 is malformed.
        var json = Path.Combine(fixture.WorkingDirectory, $"train-{Guid.NewGuid():N}.json");
        var train = cluster.StartTrain(json);
        var started = await learner.WaitForAsync(l => l.Is(StartedLine), StartedLine, TimeSpan.FromMinutes(3));
        var runId = started.Guid("RunId");
        try
        {
            await harness.Bus.Publish(VerifierErrorQueueTests.Group(runId) with { BatchId = 0, Completions = null! });

            int exitCode = await train.WaitForExitAsync(TimeSpan.FromMinutes(3));
            Assert.True(exitCode == 1, $"pipeline train --wait exited with {exitCode}, expected 1 for a failed run.\n{cluster.Tails()}");
            using var result = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            Assert.Equal("failed", result.RootElement.GetProperty("status").GetString());

            var shown = await cluster.ShowRunAsync(runId);
            Assert.Equal("failed", shown.GetProperty("status").GetString());
            var error = shown.GetProperty("error").GetString();
            Assert.Contains("group (batch 0, prompt 5) could not be scored", error);
            Assert.False(learner.HasExited, $"the learner died with the run.\n{learner.Tail()}");
        }
        finally
        {
            // Nobody generates this run's batches: keep them from reaching the next test's rollout workers.
            await BrokerProbe.TakeAllAsync(connection, Queues.GenerateRollouts, [runId.ToString()], TimeSpan.FromSeconds(2));
            await BrokerProbe.TakeAllAsync(connection, "rollout-group-generated_error", [runId.ToString()], TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task A_version_that_cannot_be_put_in_place_fails_its_run_with_the_reason()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var learner = await cluster.StartOneOfEachAsync();

        // The smoke run dispatches one batch at a time (MaxOffPolicySteps 0): the record of version 2 is what
        // dispatches batch 2. A file where version 2's directory goes makes that record fail.
        var json = Path.Combine(fixture.WorkingDirectory, $"train-{Guid.NewGuid():N}.json");
        var train = cluster.StartTrain(json);
        var started = await learner.WaitForAsync(l => l.Is(StartedLine), StartedLine, TimeSpan.FromMinutes(3));
        var runId = started.Guid("RunId");
        var blocked = Path.Combine(fixture.WorkingDirectory, fixture.SmokeRun.CheckpointDirectory, runId.ToString("N"), "v00002");
        await File.WriteAllTextAsync(blocked, "not a checkpoint");

        int exitCode = await train.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 1, $"pipeline train --wait exited with {exitCode}, expected 1 for a failed run.\n{cluster.Tails()}");
        var shown = await cluster.ShowRunAsync(runId);
        Assert.Equal("failed", shown.GetProperty("status").GetString());
        Assert.Contains("v00002", shown.GetProperty("error").GetString());
        Assert.Equal(1, shown.GetProperty("policy_versions").GetInt32());
        Assert.False(learner.HasExited, $"the learner died with the run.\n{learner.Tail()}");
    }
}
