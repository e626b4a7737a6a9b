using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Data.Stores;
using Pipeline.Learner.Replay;
using Pipeline.Orchestration;
using Pipeline.Tests.Data;

namespace Pipeline.Tests.Unit.Learner.Replay;

/// <summary>What <c>pipeline replay train</c> refuses, each with a one-line reason (an <see cref="ArgumentException"/>,
/// which the command turns into exit code 2): an unknown run, a run still running, a run with no training-step record.</summary>
public sealed class ReplayRefusalTests : IDisposable
{
    readonly TempDirectory _folder = new();

    [Fact]
    public async Task An_unknown_run_is_refused()
    {
        await using var services = await OpenAsync();
        var refusal = await Assert.ThrowsAsync<ArgumentException>(() => Replay(services, Guid.NewGuid()));
        Assert.StartsWith("no run ", refusal.Message);
    }

    [Fact]
    public async Task A_running_run_is_refused_and_so_is_one_without_a_training_step_record()
    {
        await using var services = await OpenAsync();
        var runs = services.GetRequiredService<RunStore>();
        var run = await runs.CreateAsync(new NewRun { Name = "old", ConfigJson = "{}", Seed = 1, GroupsExpected = 8 });

        var running = await Assert.ThrowsAsync<ArgumentException>(() => Replay(services, run.Id));
        Assert.Contains("still running", running.Message);

        await runs.MarkCompletedAsync(run.Id);
        var unrecorded = await Assert.ThrowsAsync<ArgumentException>(() => Replay(services, run.Id));
        Assert.Contains("no training-step record", unrecorded.Message);
        Assert.Single(await runs.ListAsync());
    }

    static Task<ReplayResult> Replay(ServiceProvider services, Guid runId) =>
        services.GetRequiredService<ReplayTrainer>().RunAsync(
            new ReplayRequest(runId, new ConfigurationBuilder().Build()), progress: null, CancellationToken.None);

    Task<ServiceProvider> OpenAsync() => ReplayServices.OpenAsync(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = $"Data Source={_folder.File("runs.db")}",
    }).Build(), CancellationToken.None);

    public void Dispose() => _folder.Dispose();
}
