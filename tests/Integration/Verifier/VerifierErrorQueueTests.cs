using System.Text;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Tests.Integration.Services;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Verifier;

/// <summary>A verifier process on the real broker: malformed groups end in its error queue, not in a crash or a
/// retry loop, and it goes on scoring valid groups afterwards. The test talks to the broker as another MassTransit
/// service would (the test harness, with the services' own transport setup) and inspects queues with
/// RabbitMQ.Client.</summary>
[Collection(DistributedCollection.Name)]
public sealed class VerifierErrorQueueTests(DistributedFixture fixture, ITestOutputHelper output)
{
    const string ErrorQueue = "rollout-group-generated_error";
    const string GeneratedExchange = "Pipeline.Contracts:RolloutGroupGenerated";
    /// <summary>The learner's queue: when an earlier test created it, it also receives the valid group's score.</summary>
    const string LearnerQueue = "rollout-group-scored";

    [Fact]
    public async Task Malformed_groups_land_in_the_error_queue_and_the_verifier_keeps_scoring()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var verifier = cluster.StartVerifier("verifier");
        await ServiceCluster.WaitUntilStartedAsync(verifier);

        await using var services = BrokerProbe.Harness(cluster, bus => bus.AddConsumer<ScoredGroupProbe>().Endpoint(e => e.Temporary = true));
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var factory = new ConnectionFactory { Uri = fixture.RabbitMq };
        await using var connection = await factory.CreateConnectionAsync();

        // 1. A well-formed envelope whose group has no completions: the scorer refuses it (not retried).
        var nullCompletions = Guid.NewGuid();
        await harness.Bus.Publish(Group(nullCompletions) with { Completions = null! });
        // 2. The right message type with a body that does not deserialise into a RolloutGroupGenerated.
        var garbage = Guid.NewGuid();
        await BrokerProbe.PublishRawAsync(connection, GeneratedExchange,
            $$$"""{"messageId":"{{{Guid.NewGuid()}}}","messageType":["urn:message:{{{GeneratedExchange}}}"],"message":{"runId":"{{{garbage}}}","batchId":"garbage","completions":"garbage"}}""");

        var dead = await BrokerProbe.TakeAllAsync(connection, ErrorQueue, [nullCompletions.ToString(), garbage.ToString()], TimeSpan.FromMinutes(3));
        Assert.True(dead.Count == 2, $"in {ErrorQueue}: [{string.Join(", ", dead)}], expected both malformed groups.\n{verifier.Tail()}");
        Assert.False(verifier.HasExited, $"the verifier died on a malformed group.\n{verifier.Tail()}");

        // 3. A valid group afterwards is scored as usual.
        var valid = Guid.NewGuid();
        try
        {
            await harness.Bus.Publish(Group(valid));
            var probe = harness.GetConsumerHarness<ScoredGroupProbe>();
            Assert.True(await probe.Consumed.Any<RolloutGroupScored>(m => m.Context.Message.RunId == valid),
                $"no RolloutGroupScored for the valid group after the malformed ones.\n{verifier.Tail()}");
            var scored = probe.Consumed.Select<RolloutGroupScored>(m => m.Context.Message.RunId == valid).First().Context.Message;
            Assert.Equal((3, 5), (scored.BatchId, scored.PromptId));
            Assert.Equal([0, 1], scored.Scores.Select(s => s.Index));
            Assert.Equal([1.5, 0.5], scored.Scores.Select(s => s.Reward));
            Assert.Equal(["equivalent", "not-equivalent"], scored.Scores.Select(s => s.Verdict));
        }
        finally
        {
            // No learner runs this group's run; keep its score from reaching the next test's learner.
            await BrokerProbe.TakeAllAsync(connection, LearnerQueue, [valid.ToString()], TimeSpan.Zero);
        }
    }

    internal static RolloutGroupGenerated Group(Guid runId) => new()
    {
        RunId = runId,
        BatchId = 3,
        PromptId = 5,
        PolicyVersion = 1,
        Prompt = new RolloutPrompt { PromptId = 5, Text = "What is 40 + 2?", Task = "arithmetic", Reference = "42" },
        Completions =
        [
            Completion(0, "<think>40 + 2 = 42</think><answer>42</answer>"),
            Completion(1, "<think>40 + 2 = 41</think><answer>41</answer>"),
        ],
    };

    static Completion Completion(int index, string text) => new()
    {
        Index = index,
        Text = text,
        TokenIds = PackedArrays.Pack([1, 2, 3]),
        LogProbs = PackedArrays.Pack([-0.5f, -0.25f, -0.125f]),
        FinishReason = "stop",
    };
}

/// <summary>Receives scored groups in the test, on a temporary queue bound to the event's exchange.</summary>
public sealed class ScoredGroupProbe : IConsumer<RolloutGroupScored>
{
    public Task Consume(ConsumeContext<RolloutGroupScored> context) => Task.CompletedTask;
}
