using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Tests.Integration.Services;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace Pipeline.Tests.Integration.Learner;

/// <summary>A learner process on the real broker: a scored group of a run its database does not hold (a run deleted,
/// a database replaced under a broker that kept its queues, another deployment on the same virtual host) goes to the
/// error queue at once, not after minutes of retries that hold one of the consumer's few slots from real groups.</summary>
[Collection(DistributedCollection.Name)]
public sealed class UnknownRunGroupTests(DistributedFixture fixture, ITestOutputHelper output)
{
    const string ErrorQueue = "rollout-group-scored_error";

    [Fact]
    public async Task A_scored_group_of_a_run_the_database_does_not_hold_goes_to_the_error_queue_unretried()
    {
        await using var cluster = await ServiceCluster.CreateAsync(fixture, output);
        var learner = cluster.StartLearner();
        await ServiceCluster.WaitUntilStartedAsync(learner);
        await using var services = BrokerProbe.Harness(cluster, _ => { });
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        var factory = new ConnectionFactory { Uri = fixture.RabbitMq };
        await using var connection = await factory.CreateConnectionAsync();

        var unknown = Guid.NewGuid();
        await harness.Bus.Publish(Group(unknown));

        // Retried, the group would reach the error queue only after about three minutes of back-off.
        var dead = await BrokerProbe.TakeAllAsync(connection, ErrorQueue, [unknown.ToString()], TimeSpan.FromSeconds(60));
        Assert.True(dead.Count == 1, $"the group of run {unknown} is not in {ErrorQueue} within a minute.\n{learner.Tail()}");
        Assert.DoesNotContain(learner.Lines, l => l.Text.Contains("R-RETRY", StringComparison.Ordinal));
        Assert.False(learner.HasExited, $"the learner died on the group.\n{learner.Tail()}");
    }

    static RolloutGroupScored Group(Guid runId) => new()
    {
        RunId = runId,
        BatchId = 0,
        PromptId = 1,
        PolicyVersion = 0,
        Prompt = new RolloutPrompt { PromptId = 1, Text = "What is 1 + 1?", Task = "arithmetic", Reference = "2" },
        Completions =
        [
            new Completion
            {
                Index = 0,
                Text = "<think>1 + 1 = 2</think><answer>2</answer>",
                TokenIds = PackedArrays.Pack([60, 116, 62]),
                LogProbs = PackedArrays.Pack([-0.5f, -0.25f, -0.125f]),
                FinishReason = "stop",
            },
        ],
        Scores = [new CompletionScore { Index = 0, Reward = 1.0, Verdict = "equivalent", Components = new Dictionary<string, double> { ["accuracy"] = 1 } }],
    };
}
