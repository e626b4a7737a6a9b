using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Verifier;
using Pipeline.Verifier.Consumers;

namespace Pipeline.Tests.Unit.Verifier;

/// <summary>The consumer on MassTransit's in-memory test harness, one harness per test.</summary>
public class RolloutGroupGeneratedConsumerTests
{
    static readonly Guid RunId = Guid.Parse("5b1f0c2e-8a57-4a8e-9b0b-7c1d2e3f4a5b");

    static async Task<(ServiceProvider Services, ITestHarness Harness)> StartHarness(
        Action<IServiceCollection>? configure = null, params (string Key, string Value)[] settings)
    {
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
                .Build())
            .AddVerifier()
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(30), testInactivityTimeout: TimeSpan.FromSeconds(1));
                bus.AddVerifierConsumers();
            });
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider(validateScopes: true);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        return (services, harness);
    }

    static Completion Completion(int index, string text) => new()
    {
        Index = index,
        Text = text,
        TokenIds = PackedArrays.Pack([1, 2, 3]),
        LogProbs = PackedArrays.Pack([-0.1f, -0.2f, -0.3f]),
        FinishReason = "stop",
    };

    static RolloutGroupGenerated Group(string task, string reference, params Completion[] completions) => new()
    {
        RunId = RunId,
        BatchId = 4,
        PromptId = 17,
        PolicyVersion = 2,
        Prompt = new RolloutPrompt { PromptId = 17, Text = "What is 6 * 7?", Task = task, Reference = reference },
        Completions = completions,
    };

    [Fact]
    public async Task Scores_every_completion_and_publishes_the_group()
    {
        var (services, harness) = await StartHarness();
        await using var _ = services;

        await harness.Bus.Publish(Group("arithmetic", "42",
            Completion(0, "<think>6*7</think><answer>42</answer>"),
            Completion(1, "<think>6*7</think><answer>41</answer>"),
            Completion(2, "it is \\boxed{42}")));

        Assert.True(await harness.GetConsumerHarness<RolloutGroupGeneratedConsumer>().Consumed.Any<RolloutGroupGenerated>());
        var published = harness.Published.Select<RolloutGroupScored>().Single().Context.Message;
        Assert.Equal((RunId, 4, 17, 2), (published.RunId, published.BatchId, published.PromptId, published.PolicyVersion));
        Assert.Equal("42", published.Prompt.Reference);
        Assert.Equal([0, 1, 2], published.Completions.Select(c => c.Index));
        Assert.Equal([1, 2, 3], PackedArrays.UnpackInts(published.Completions[0].TokenIds));
        Assert.Equal([0, 1, 2], published.Scores.Select(s => s.Index));
        Assert.Equal([1.5, 0.5, 1.0], published.Scores.Select(s => s.Reward));
        Assert.Equal(["equivalent", "not-equivalent", "equivalent,bad-format"], published.Scores.Select(s => s.Verdict));
        Assert.Equal(1.0, published.Scores[2].Components["accuracy"]);
        Assert.Equal(0.0, published.Scores[2].Components["format"]);
    }

    [Fact]
    public async Task A_malformed_group_faults_without_retries_and_the_consumer_keeps_going()
    {
        var (services, harness) = await StartHarness();
        await using var _ = services;

        await harness.Bus.Publish(Group("math", "42") with { Completions = null! });
        await harness.Bus.Publish(Group("math", "42", Completion(0, "<think>a</think><answer>42</answer>")));

        Assert.True(await harness.Published.Any<Fault<RolloutGroupGenerated>>());
        Assert.True(await harness.Published.Any<RolloutGroupScored>());
        var fault = harness.Published.Select<Fault<RolloutGroupGenerated>>().Single().Context.Message;
        Assert.Equal(typeof(ScoringInputException).FullName, fault.Exceptions.Single().ExceptionType);
        Assert.Contains("prompt 17) has no completions", fault.Exceptions.Single().Message);
        var consumed = harness.GetConsumerHarness<RolloutGroupGeneratedConsumer>().Consumed.Select<RolloutGroupGenerated>();
        Assert.Equal(2, consumed.Count()); // one attempt each: no retries for a malformed group
        var scored = harness.Published.Select<RolloutGroupScored>().Single().Context.Message;
        Assert.Equal("equivalent", scored.Scores.Single().Verdict);
    }

    [Fact]
    public async Task An_unknown_task_kind_faults()
    {
        var (services, harness) = await StartHarness();
        await using var _ = services;

        await harness.Bus.Publish(Group("chess", "e4", Completion(0, "<think>a</think><answer>e4</answer>")));

        Assert.True(await harness.Published.Any<Fault<RolloutGroupGenerated>>());
        var fault = harness.Published.Select<Fault<RolloutGroupGenerated>>().Single().Context.Message;
        Assert.Contains("unknown task kind 'chess'", fault.Exceptions.Single().Message);
        Assert.False(await harness.Published.Any<RolloutGroupScored>());
    }

    /// <summary>Fails its first call the way a sandbox hiccup would, then scores everything correct.</summary>
    sealed class FlakyScorer : ICompletionScorer
    {
        int calls;

        public string Kind => "flaky";

        public async ValueTask<CompletionScore> ScoreAsync(
            int index, string completion, string reference, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return Interlocked.Increment(ref calls) == 1
                ? throw new IOException("sandbox hiccup")
                : new CompletionScore
                {
                    Index = index,
                    Reward = 1,
                    Components = new Dictionary<string, double> { ["accuracy"] = 1 },
                    Verdict = "correct",
                };
        }
    }

    [Fact]
    public async Task A_failure_of_the_verifier_itself_is_retried()
    {
        var (services, harness) = await StartHarness(collection =>
            collection.AddSingleton<ICompletionScorer, FlakyScorer>());
        await using var _ = services;

        await harness.Bus.Publish(Group("flaky", "x", Completion(0, "anything")));

        Assert.True(await harness.Published.Any<RolloutGroupScored>());
        Assert.False(await harness.Published.Any<Fault<RolloutGroupGenerated>>());
        Assert.Equal("correct", harness.Published.Select<RolloutGroupScored>().Single().Context.Message.Scores[0].Verdict);
    }

    [Fact]
    public async Task Without_a_sandbox_a_code_group_faults_with_the_reason_at_once_and_math_goes_on()
    {
        var (services, harness) = await StartHarness(null,
            ("Sandbox:BubblewrapPath", "/nonexistent/bwrap"), ("Sandbox:UseCgroups", "false"));
        await using var _ = services;

        await harness.Bus.Publish(Group("code", """{"tests": [{"input": "", "output": "1\n"}]}""",
            Completion(0, "<think>a</think><answer>```python\nprint(1)\n```</answer>")));
        await harness.Bus.Publish(Group("math", "42", Completion(0, "<think>a</think><answer>42</answer>")));

        Assert.True(await harness.Published.Any<Fault<RolloutGroupGenerated>>());
        Assert.True(await harness.Published.Any<RolloutGroupScored>());
        var fault = harness.Published.Select<Fault<RolloutGroupGenerated>>().Single().Context.Message;
        Assert.Equal(typeof(SandboxUnavailableException).FullName, fault.Exceptions.Single().ExceptionType);
        Assert.Contains("bubblewrap not found at '/nonexistent/bwrap'", fault.Exceptions.Single().Message);
        var consumed = harness.GetConsumerHarness<RolloutGroupGeneratedConsumer>().Consumed.Select<RolloutGroupGenerated>();
        Assert.Equal(2, consumed.Count()); // refused once, not retried: the sandbox is established once per process
        var scored = harness.Published.Select<RolloutGroupScored>().Single().Context.Message;
        Assert.Equal("math", scored.Prompt.Task);
        Assert.Equal("equivalent", scored.Scores.Single().Verdict);
    }

    /// <summary>Scores only once the test opens the gate, like a code group waiting for its sandboxed runs.</summary>
    sealed class GatedScorer : ICompletionScorer
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Kind => "gated";

        public async ValueTask<CompletionScore> ScoreAsync(
            int index, string completion, string reference, CancellationToken cancellationToken)
        {
            await Gate.Task.WaitAsync(cancellationToken);
            return new CompletionScore
            {
                Index = index,
                Reward = 1,
                Components = new Dictionary<string, double> { ["accuracy"] = 1 },
                Verdict = "accepted",
            };
        }
    }

    [Fact]
    public async Task Other_groups_are_scored_while_a_slow_group_waits()
    {
        var gated = new GatedScorer();
        var (services, harness) = await StartHarness(collection => collection.AddSingleton<ICompletionScorer>(gated));
        await using var _ = services;

        await harness.Bus.Publish(Group("gated", "x", Completion(0, "slow"), Completion(1, "slow")));
        await harness.Bus.Publish(Group("math", "42", Completion(0, "<think>a</think><answer>42</answer>")) with { PromptId = 18 });

        Assert.True(await harness.Published.Any<RolloutGroupScored>(m => m.Context.Message.PromptId == 18));
        Assert.DoesNotContain(harness.Published.Select<RolloutGroupScored>(), m => m.Context.Message.PromptId == 17);
        gated.Gate.SetResult();
        Assert.True(await harness.Published.Any<RolloutGroupScored>(m => m.Context.Message.PromptId == 17));
        var slow = harness.Published.Select<RolloutGroupScored>(m => m.Context.Message.PromptId == 17).Single().Context.Message;
        Assert.Equal(["accepted", "accepted"], slow.Scores.Select(s => s.Verdict));
    }
}
