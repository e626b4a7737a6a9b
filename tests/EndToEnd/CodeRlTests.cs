using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Pipeline.Tests.EndToEnd;

/// <summary>Code RL end to end on the shipped example (examples/code/problems.jsonl, configs/code.json) from the
/// stories260K fixture: the run generates, scores in the sandbox, trains, publishes Hugging Face directories and
/// evaluates its held-out problems through the sandbox; what cannot work is refused before the run starts.</summary>
public sealed class CodeRlTests
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    static readonly string Config = Path.Combine(AppContext.BaseDirectory, "configs", "code.json");
    static readonly string Problems = Path.Combine(AppContext.BaseDirectory, "examples", "code", "problems.jsonl");
    static readonly string Solutions = Path.Combine(AppContext.BaseDirectory, "examples", "code", "solutions.jsonl");
    static readonly string Stories = Path.Combine(AppContext.BaseDirectory, "Fixtures", "stories260K");

    static readonly HashSet<string> CodeVerdicts =
        ["accepted", "wrong-answer", "runtime-error", "time-limit", "memory-limit", "output-limit", "sandbox-error", "bad-format"];

    static string[] Train(params string[] settings) =>
    [
        "train", "--config", Config, "--set", $"Run:BasePolicy={Stories}", "--set", $"Run:Dataset={Problems}",
        .. settings.SelectMany(s => new[] { "--set", s }),
    ];

    [Fact]
    public async Task A_grpo_run_on_the_example_trains_publishes_hugging_face_directories_and_evaluates_through_the_sandbox()
    {
        using var pipeline = new PipelineProcess();

        var train = await pipeline.RunAsync(Limit, [.. Train("Run:Steps=2", "Run:PromptsPerBatch=4", "Run:GroupSize=2", "Run:MaxTokens=48",
            "Run:EvaluateEvery=1", "Run:EvaluationK=2", "Grpo:DynamicSampling=false"), "--json", "train.json"]);

        Assert.True(train.ExitCode == 0, train.Output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("train.json")));
        var runId = json.RootElement.GetProperty("run_id").GetGuid();
        Assert.Equal(2, json.RootElement.GetProperty("policy_versions").GetInt32());
        var final = json.RootElement.GetProperty("final_checkpoint").GetString()!;
        foreach (var file in new[] { "config.json", "generation_config.json", "tokenizer.json", "model.safetensors", "optimizer.bin" })
            Assert.True(File.Exists(Path.Combine(final, file)), file);
        Assert.Equal("LlamaForCausalLM", (string?)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(final, "config.json")))!["architectures"]![0]);

        await using var database = new SqliteConnection($"Data Source={pipeline.PathOf(".pipeline/pipeline.db")};Mode=ReadOnly");
        await database.OpenAsync();
        // Every completion the run trained on was scored by the code rules (2 steps × 4 prompts × 2).
        var trainedVerdicts = await RowsAsync(database, runId,
            "SELECT c.verdict FROM scored_completions c JOIN scored_groups g ON g.id = c.scored_group_id WHERE upper(g.run_id) = upper($run)",
            r => r.GetString(0));
        Assert.Equal(16, trainedVerdicts.Count);
        Assert.All(trainedVerdicts, v => Assert.Contains(v, CodeVerdicts));
        Assert.Equal(Enumerable.Repeat("code", 8), await RowsAsync(database, runId,
            "SELECT task FROM scored_groups WHERE upper(run_id) = upper($run)", r => r.GetString(0)));

        // Both versions evaluated on the three held-out problems, with pass@2 and the code rules' verdicts.
        var evaluations = await RowsAsync(database, runId,
            "SELECT policy_version, split, k, accuracy, pass_at_k FROM evaluations WHERE upper(run_id) = upper($run) ORDER BY policy_version",
            r => (Version: r.GetInt32(0), Split: r.GetString(1), K: r.GetInt32(2), PassAtK: r.GetDouble(4)));
        Assert.Equal([1, 2], evaluations.Select(e => e.Version));
        Assert.All(evaluations, e => Assert.Equal(("held-out", 2), (e.Split, e.K)));
        Assert.All(evaluations, e => Assert.InRange(e.PassAtK, 0, 1));
        var metrics = await RowsAsync(database, runId,
            "SELECT name, step, value FROM metrics WHERE upper(run_id) = upper($run) AND name LIKE 'eval/%'",
            r => (Name: r.GetString(0), Step: r.GetInt32(1), Value: r.GetDouble(2)));
        foreach (var version in new[] { 1, 2 })
        {
            var names = metrics.Where(m => m.Step == version).Select(m => m.Name).ToHashSet();
            Assert.Contains("eval/pass@1", names);
            Assert.Contains("eval/pass@2", names);
            var verdicts = metrics.Where(m => m.Step == version && m.Name.StartsWith("eval/verdict/")).ToArray();
            Assert.NotEmpty(verdicts);
            Assert.All(verdicts, m => Assert.Contains(m.Name["eval/verdict/".Length..], CodeVerdicts));
            Assert.Equal(1.0, verdicts.Sum(m => m.Value), 1e-9);
        }
    }

    [Fact]
    public async Task A_code_run_without_a_sandbox_is_refused_before_it_starts_with_the_reason()
    {
        using var pipeline = new PipelineProcess();

        var train = await pipeline.RunAsync(Limit, Train("Sandbox:BubblewrapPath=/nonexistent/bwrap", "Run:Steps=1"));

        Assert.True(train.ExitCode == 1, train.Output);
        Assert.Contains("The code sandbox is unavailable, so code tasks are refused", train.StandardError);
        Assert.Contains("/nonexistent/bwrap", train.StandardError);
        Assert.False(Directory.Exists(pipeline.PathOf(".pipeline/code/checkpoints")) &&
            Directory.EnumerateFileSystemEntries(pipeline.PathOf(".pipeline/code/checkpoints")).Any(), "nothing was published");
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_refused_before_the_run_naming_the_problem()
    {
        using var pipeline = new PipelineProcess();

        // stories260K has 512 positions; the example's prompts are about 350–400 of its tokens.
        var train = await pipeline.RunAsync(Limit, Train("Run:MaxTokens=300", "Run:Steps=1"));

        Assert.True(train.ExitCode == 2, train.Output);
        var error = Assert.Single(train.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"problem '[a-z-]+' \(problems\.jsonl:\d+\) has a prompt of \d+ tokens: with Run:MaxTokens 300", error);
        Assert.Contains("but the policy has 512 (max_position_embeddings)", error);
        Assert.False(Directory.Exists(pipeline.PathOf(".pipeline/code/checkpoints")) &&
            Directory.EnumerateFileSystemEntries(pipeline.PathOf(".pipeline/code/checkpoints")).Any(), "nothing was published");
    }

    [Fact]
    public async Task The_examples_reference_solutions_pass_its_tests_through_verify()
    {
        using var pipeline = new PipelineProcess();
        var problems = File.ReadAllLines(Problems).Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        var solutions = File.ReadAllLines(Solutions).Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        Assert.Equal(problems.Length, solutions.Length);
        Assert.InRange(problems.Length, 12, 100);
        for (int i = 0; i < problems.Length; i++)
            foreach (var field in new[] { "tests", "test_code" })
                Assert.True(JsonNode.DeepEquals(problems[i][field], solutions[i][field]), $"line {i + 1}: {field}");

        var verify = await pipeline.RunAsync(Limit, "verify", "--in", Solutions);

        Assert.True(verify.ExitCode == 0, verify.Output);
        var results = verify.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(problems.Length, results.Length);
        Assert.All(results, r => Assert.Equal("accepted", (string?)r["verdict"]));
    }

    static async Task<List<T>> RowsAsync<T>(SqliteConnection connection, Guid runId, string sql, Func<SqliteDataReader, T> read)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = sql;
        query.Parameters.AddWithValue("$run", runId.ToString());
        var rows = new List<T>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }
}
