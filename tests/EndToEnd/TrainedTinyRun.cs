using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Pipeline.Tests.EndToEnd;

/// <summary>One finished embedded run (configs/tiny.json: six GRPO steps, evaluations with pass@2) in a scratch
/// directory, shared by the tests that read a run's metrics back: the dashboard's and <c>runs metrics</c>'.</summary>
public sealed class TrainedTinyRun : IAsyncLifetime
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    static readonly string Config = Path.Combine(AppContext.BaseDirectory, "configs", "tiny.json");

    public PipelineProcess Pipeline { get; } = new();

    public Guid RunId { get; private set; }

    public async Task InitializeAsync()
    {
        var pretrain = await Pipeline.RunAsync(Limit, "pretrain", "--config", Config);
        Assert.True(pretrain.ExitCode == 0, pretrain.Output);
        var train = await Pipeline.RunAsync(Limit, "train", "--config", Config, "--set", "Run:EvaluationK=2", "--json", "train.json");
        Assert.True(train.ExitCode == 0, train.Output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Pipeline.PathOf("train.json")));
        RunId = json.RootElement.GetProperty("run_id").GetGuid();
    }

    /// <summary>The run's rows of the <c>metrics</c> table, read with SQL, by name then step.</summary>
    public async Task<IReadOnlyList<(string Name, int Step, double Value)>> StoredMetricsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Pipeline.PathOf(".pipeline/pipeline.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT name, step, value FROM metrics WHERE upper(run_id) = upper($run) ORDER BY name, step";
        query.Parameters.AddWithValue("$run", RunId.ToString());
        var rows = new List<(string, int, double)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetDouble(2)));
        return rows;
    }

    public Task DisposeAsync()
    {
        Pipeline.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedTinyRunCollection : ICollectionFixture<TrainedTinyRun>
{
    public const string Name = "a trained tiny run";
}
