using Pipeline.Data;
using Pipeline.Data.Stores;
using Pipeline.Tests.Data.Contract;
using Pipeline.Tests.Integration.Services;

namespace Pipeline.Tests.Integration.Data;

/// <summary>PostgreSQL restarts again and again while several writers record training steps and metrics, as a
/// learner's consumers and its record of a step do at once. A restart in the middle of a transaction used to fail
/// about one write in a thousand with Npgsql refusing the lost transaction ("Transaction is already completed", or
/// the transaction disposed at its commit), which is not a transient error to Npgsql; it failed a learner's record of
/// a step and with it the run. Every write must instead be retried until it is stored once.</summary>
[Collection(ServerRestartCollection.Name)]
public sealed class PostgresRestartTests
{
    const int Writers = 6;
    const int Restarts = 6;
    const int Prompts = 8;

    [Fact]
    public async Task Writes_in_flight_across_restarts_are_each_stored_once()
    {
        var connectionString = PostgresTestDatabase.NewDatabase();
        await using var storage = new TestStorage(StorageProvider.Postgres, connectionString, () => PostgresTestDatabase.DropAsync(connectionString));
        await storage.Migrator.MigrateAsync();
        var steps = storage.Get<TrainingStepStore>();
        using var restarting = new CancellationTokenSource();
        var runs = new List<Guid>();
        for (int i = 0; i < Writers; i++)
        {
            var run = await storage.Runs.CreateAsync(Samples.Run());
            for (int prompt = 0; prompt < Prompts; prompt++) await storage.Groups.TryAddAsync(Samples.Group(run.Id, 0, prompt), stale: false);
            runs.Add(run.Id);
        }

        var restarts = Task.Run(async () =>
        {
            for (int i = 0; i < Restarts; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1.5));
                await LocalServices.RestartAsync("postgres", 0);
            }
            await restarting.CancelAsync();
        });
        var written = await Task.WhenAll(runs.Select(async runId =>
        {
            int step = 0;
            while (!restarting.IsCancellationRequested)
            {
                step++;
                await steps.AddAsync(new TrainingStepRecord(runId, step, BatchId: 0, BehaviourVersion: step - 1, PolicyVersion: step, "sha",
                    Enumerable.Range(0, Prompts).Select(p => (0, p)).ToArray(), [new DroppedGroup(0, 3, DroppedGroup.ZeroVariance)], LearningRate: 0.1));
                await storage.Metrics.AppendStepAsync(runId, step, new Dictionary<string, double> { ["loss"] = step, ["reward"] = -step });
            }
            return step;
        }));
        await restarts;

        for (int i = 0; i < Writers; i++)
        {
            var record = await steps.ListAsync(runs[i]);
            Assert.Equal(Enumerable.Range(1, written[i]), record.Select(s => s.Step));
            var loss = await storage.Metrics.GetCurveAsync(runs[i], "loss");
            Assert.Equal(Enumerable.Range(1, written[i]), loss.Select(p => p.Step));
        }
        Assert.True(written.Sum() > Writers * Restarts, $"only {written.Sum()} steps were written across {Restarts} restarts");
    }
}
