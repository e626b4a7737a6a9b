using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Contracts;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Code;
using Pipeline.Tests.Integration.Sandbox;
using Pipeline.Verifier;
using Pipeline.Verifier.Consumers;
using Pipeline.Verifier.Jsonl;

namespace Pipeline.Tests.Integration.Verifier;

/// <summary>The verifier as the services and <c>pipeline verify</c> assemble it (<c>AddVerifier</c>), scoring code
/// in a real sandbox: one consumer on the in-memory test harness per test, and the JSONL verifier.</summary>
[Collection(SandboxCollection.Name)]
public sealed class VerifierCodeTests
{
    static readonly Guid RunId = Guid.Parse("0d8e7f4c-3a1b-4c2d-9e5f-6a7b8c9d0e1f");

    /// <summary>The fixture's tight limits, as configuration.</summary>
    static IConfiguration Settings()
    {
        var options = SandboxFixture.TestOptions();
        return new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:CpuSeconds"] = $"{options.CpuSeconds}",
            ["Sandbox:WallSeconds"] = $"{options.WallSeconds}",
            ["Sandbox:MemoryMb"] = $"{options.MemoryMb}",
            ["Sandbox:MaxProcesses"] = $"{options.MaxProcesses}",
            ["Sandbox:MaxOutputBytes"] = $"{options.MaxOutputBytes}",
            ["Sandbox:TmpfsMb"] = $"{options.TmpfsMb}",
            ["Sandbox:MaxParallelRuns"] = $"{options.MaxParallelRuns}",
        }).Build();
    }

    static Completion Completion(int index, string program) => new()
    {
        Index = index,
        Text = SandboxFixture.Completion(program),
        TokenIds = PackedArrays.Pack([1, 2, 3]),
        LogProbs = PackedArrays.Pack([-0.1f, -0.2f, -0.3f]),
        FinishReason = "stop",
    };

    [Fact]
    public async Task The_consumer_rewards_a_correct_program_and_nothing_else()
    {
        var problem = CodeProblems.Get("sum-list");
        await using var services = new ServiceCollection()
            .AddSingleton(Settings())
            .AddVerifier()
            .AddMassTransitTestHarness(bus =>
            {
                bus.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(1));
                bus.AddVerifierConsumers();
            })
            .BuildServiceProvider(validateScopes: true);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new RolloutGroupGenerated
        {
            RunId = RunId,
            BatchId = 1,
            PromptId = 5,
            PolicyVersion = 3,
            Prompt = new RolloutPrompt { PromptId = 5, Text = problem.Statement, Task = "code", Reference = problem.Reference },
            Completions =
            [
                Completion(0, problem.Solution),
                // The right sums, then a fork bomb: the output alone would pass.
                Completion(1, "import os, sys\nprint(sum(int(x) for x in sys.stdin.read().split()))\nsys.stdout.flush()\n" +
                              "while True:\n    os.fork()"),
                // Reads the expected output from where a careless verifier might keep it.
                Completion(2, "import glob\nprint(open(glob.glob('/tmp/*expected*')[0]).read())"),
                Completion(3, "print(0)"),
            ],
        });

        Assert.True(await harness.Published.Any<RolloutGroupScored>());
        Assert.Empty(harness.Published.Select<Fault<RolloutGroupGenerated>>());
        var scored = harness.Published.Select<RolloutGroupScored>().Single().Context.Message;
        Assert.Equal((RunId, 1, 5, 3), (scored.RunId, scored.BatchId, scored.PromptId, scored.PolicyVersion));
        Assert.Equal([0, 1, 2, 3], scored.Scores.Select(s => s.Index));
        Assert.True(scored.Scores[0].Reward == 1, $"the correct program: {scored.Scores[0].Verdict}");
        Assert.Equal("accepted", scored.Scores[0].Verdict);
        Assert.Equal([0.0, 0.0, 0.0], scored.Scores.Skip(1).Select(s => s.Reward));
        Assert.All(scored.Scores.Skip(1), s => Assert.NotEqual("accepted", s.Verdict));
        Assert.Equal("runtime-error", scored.Scores[2].Verdict);
        Assert.Equal("wrong-answer", scored.Scores[3].Verdict);
    }

    [Fact]
    public async Task Verify_writes_every_tests_verdict_for_code_lines()
    {
        await using var services = new ServiceCollection().AddSingleton(Settings()).AddVerifier().BuildServiceProvider();
        var verifier = services.GetRequiredService<JsonlVerifier>();
        string[] input =
        [
            JsonSerializer.Serialize(new
            {
                kind = "code",
                completion = SandboxFixture.Completion("print(input()[::-1])"),
                tests = new[] { new { input = "abc\n", output = "cba\n" }, new { input = "xy\n", output = "yx\n" } },
            }),
            JsonSerializer.Serialize(new
            {
                kind = "code",
                completion = SandboxFixture.Completion("def gcd(a, b):\n    return 6"),
                test_code = "assert gcd(12, 18) == 6\nassert gcd(17, 5) == 1\n",
            }),
            JsonSerializer.Serialize(new { kind = "code", completion = "no program here", test_code = "assert True\n" }),
        ];
        var output = new StringWriter();

        var summary = await verifier.RunAsync(new StringReader(string.Join('\n', input)), output, CancellationToken.None);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new VerifySummary(Lines: 3, Invalid: 0, Correct: 1), summary);
        Assert.Equal(
            """{"reward":1,"accuracy":1,"format":1,"verdict":"accepted","tests":[{"verdict":"accepted"},{"verdict":"accepted"}]}""",
            lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("wrong-answer", second.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(0, second.RootElement.GetProperty("reward").GetDouble());
        Assert.Equal(["accepted", "wrong-answer"],
            second.RootElement.GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("verdict").GetString()));
        Assert.Equal(
            """{"reward":0,"accuracy":0,"format":0,"verdict":"bad-format","tests":[],"detail":"no <answer> block"}""",
            lines[2]);
    }
}
