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
}
