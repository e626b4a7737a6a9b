using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline replay train</c> on the embedded default: a small run (configs/tiny.json: a base policy that
/// scores some rewards, six GRPO steps with two batches in flight) replayed from its stored record gives every policy
/// version the source's SHA-256; another loss aggregation on the same trajectories completes and differs; and the
/// prompts a run draws are the same in every process.</summary>
public sealed class ReplayTests
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    static readonly string Config = Path.Combine(AppContext.BaseDirectory, "configs", "tiny.json");

    [Fact]
    public async Task A_finished_run_replays_bit_for_bit_and_an_ablation_on_its_trajectories_differs()
    {
        using var pipeline = new PipelineProcess();
        var source = await TrainAsync(pipeline);

        var replay = await pipeline.RunAsync(Limit, "replay", "train", source.ToString(), "--json", "replay.json");
        Assert.True(replay.ExitCode == 0, replay.Output);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("replay.json"))))
        {
            var root = json.RootElement;
            Assert.Equal(source, root.GetProperty("source_run_id").GetGuid());
            Assert.True(root.GetProperty("identical").GetBoolean(), replay.Output);
            var versions = root.GetProperty("versions").EnumerateArray().ToArray();
            Assert.Equal(Enumerable.Range(0, 7), versions.Select(v => v.GetProperty("version").GetInt32()));
            Assert.All(versions, v => Assert.Equal(v.GetProperty("source_sha256").GetString(), v.GetProperty("sha256").GetString()));
            Assert.Equal(6, versions.Select(v => v.GetProperty("sha256").GetString()).Skip(1).Distinct().Count());

            var show = await pipeline.RunAsync(Limit, "runs", "show", root.GetProperty("run_id").GetString()!, "--json", "-");
            Assert.True(show.ExitCode == 0, show.Output);
            using var shown = JsonDocument.Parse(show.StandardOutput);
            Assert.Equal("completed", shown.RootElement.GetProperty("status").GetString());
            Assert.Equal(source, shown.RootElement.GetProperty("source_run_id").GetGuid());
            Assert.Equal(6, shown.RootElement.GetProperty("final").GetProperty("policy_version").GetInt32());
        }

        var ablation = await pipeline.RunAsync(Limit, "replay", "train", source.ToString(), "--set", "Grpo:Aggregation=grpo", "--json", "ablation.json");
        Assert.True(ablation.ExitCode == 0, ablation.Output);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("ablation.json"))))
        {
            var root = json.RootElement;
            Assert.False(root.GetProperty("identical").GetBoolean());
            var versions = root.GetProperty("versions").EnumerateArray().ToArray();
            Assert.True(versions[0].GetProperty("identical").GetBoolean(), "version 0 is the base policy either way");
            Assert.False(versions[^1].GetProperty("identical").GetBoolean());
        }
    }

    [Fact]
    public async Task Replay_refuses_an_unknown_run_in_one_line_with_exit_code_2()
    {
        using var pipeline = new PipelineProcess();
        var run = await pipeline.RunAsync(Limit, "replay", "train", Guid.NewGuid().ToString());
        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no run", run.StandardError);
    }

    [Fact]
    public async Task Two_processes_draw_the_same_prompts_for_the_same_seed()
    {
        // .NET randomises HashCode per process: a prompt feed seeded by it draws other prompts in another process.
        using var first = new PipelineProcess();
        using var second = new PipelineProcess();
        await TrainAsync(first, "--set", "Run:Steps=2");
        await TrainAsync(second, "--set", "Run:Steps=2");
        var prompts = await PromptsAsync(first);
        Assert.Equal(16, prompts.Count);
        Assert.Equal(prompts, await PromptsAsync(second));
    }

    static async Task<Guid> TrainAsync(PipelineProcess pipeline, params string[] extra)
    {
        var pretrain = await pipeline.RunAsync(Limit, "pretrain", "--config", Config);
        Assert.True(pretrain.ExitCode == 0, pretrain.Output);
        var train = await pipeline.RunAsync(Limit, ["train", "--config", Config, "--json", "train.json", .. extra]);
        Assert.True(train.ExitCode == 0, train.Output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("train.json")));
        return json.RootElement.GetProperty("run_id").GetGuid();
    }

    static async Task<IReadOnlyList<string>> PromptsAsync(PipelineProcess pipeline)
    {
        await using var connection = new SqliteConnection($"Data Source={pipeline.PathOf(".pipeline/pipeline.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT batch_id, prompt_id, prompt_text FROM scored_groups ORDER BY batch_id, prompt_id";
        var prompts = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) prompts.Add($"{reader.GetInt32(0)}/{reader.GetInt32(1)}: {reader.GetString(2)}");
        return prompts;
    }
}
