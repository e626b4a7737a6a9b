using System.Text.Json;
using Microsoft.Data.Sqlite;
using Parquet;
using Parquet.Schema;
using Pipeline.Contracts;
using Pipeline.Data;
using Pipeline.Data.Stores;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Replay;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration.Export;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tests.Data;
using Pipeline.Tests.Data.Contract;

namespace Pipeline.Tests.Unit.Learner.Replay;

/// <summary><c>pipeline replay export</c> against a real SQLite file: a run with a trained batch (one group dropped as
/// zero-variance), a stale batch and an unconsumed batch, exported to JSONL and Parquet and read back.</summary>
public sealed class ReplayExporterTests : IAsyncLifetime
{
    // Run:MaxTokens 8 with Grpo:OverlongBuffer 4: completions longer than 4 tokens are penalised (−0.25 a token).
    static readonly RunSettings Settings = new(new RunOptions { MaxTokens = 8 }, new ArithmeticOptions(), new GrpoOptions { OverlongBuffer = 4 });

    const string TrickyText = "Answer: <answer>4</answer>\n\"quoted\" \\ é 🙂 \t end";

    readonly TempDirectory folder = new();
    TestStorage storage = null!;
    Guid runId;
    List<RolloutGroupScored> stored = [];

    public async Task InitializeAsync()
    {
        var connectionString = $"Data Source={folder.File("pipeline.db")}";
        storage = new TestStorage(StorageProvider.Sqlite, connectionString, () =>
        {
            using (var connection = new SqliteConnection(connectionString))
                SqliteConnection.ClearPool(connection);
            return ValueTask.CompletedTask;
        });
        await storage.Migrator.MigrateAsync();
        runId = (await storage.Runs.CreateAsync(new NewRun { Name = "export", ConfigJson = Settings.ToJson(), Seed = 1, GroupsExpected = 5 })).Id;

        stored =
        [
            // Batch 0, trained at step 1. Prompt 0: rewards 1, 1, 0; completion 1 has 6 tokens, 2 past the penalty-free 4.
            Group(0, 0, version: 0,
                new(0, TrickyText, Tokens(2), [-0.1f, -12.345678f], 1.0, "correct", "stop", Accuracy: 1, Format: 1),
                new(1, "six tokens", Tokens(6), [-0.5f, -1e-7f, -3f, -0.25f, -7.5f, -0.001f], 1.0, "correct", "length", Accuracy: 1, Format: 1),
                new(2, "wrong", Tokens(3), [-1f, -2f, -3f], 0.0, "wrong-answer", "stop", Accuracy: 0, Format: 1)),
            // Prompt 1: all rewards equal, dropped by dynamic sampling.
            Group(0, 1, version: 0,
                new(0, "a", Tokens(1), [-0.2f], 0.0, "bad-format", "stop"),
                new(1, "b", Tokens(2), [-0.3f, -0.4f], 0.0, "bad-format", "stop")),
            // Prompt 2: an empty completion, and a component only one completion has.
            Group(0, 2, version: 0,
                new(0, "", [], [], 1.0 / 3, "correct", "stop", Accuracy: 1, Format: 1, PassRate: 0.5),
                new(1, "no", Tokens(4), [-0.6f, -0.7f, -0.8f, -0.9f], 0.0, "wrong-answer", "stop", Format: 1)),
            // Batch 1, consumed at step 2 as stale.
            Group(1, 0, version: 0,
                new(0, "late", Tokens(2), [-0.1f, -0.2f], 1.0, "correct", "stop", Accuracy: 1, Format: 1),
                new(1, "late too", Tokens(2), [-0.3f, -0.4f], 0.0, "wrong-answer", "stop", Format: 1)),
            // Batch 2, never consumed.
            Group(2, 0, version: 1,
                new(0, "unconsumed", Tokens(3), [-0.5f, -0.5f, -0.5f], 1.0, "correct", "stop", Accuracy: 1, Format: 1),
                new(1, "unconsumed too", Tokens(1), [-2f], 0.0, "wrong-answer", "stop")),
        ];
        foreach (var group in stored) Assert.Equal(AddOutcome.Added, await storage.Groups.TryAddAsync(group));

        var steps = storage.Get<TrainingStepStore>();
        await steps.AddAsync(new TrainingStepRecord(runId, 1, 0, 0, 1, new string('a', 64), [(0, 0), (0, 1), (0, 2)],
            [new DroppedGroup(0, 1, "zero-variance")], 1e-4));
        await steps.AddAsync(new TrainingStepRecord(runId, 2, 1, 0, null, null, [(1, 0)], [new DroppedGroup(1, 0, "stale")], 1e-4));
    }

    public async Task DisposeAsync()
    {
        await storage.DisposeAsync();
        folder.Dispose();
    }

    ReplayExporter Exporter => new(storage.Runs, storage.Groups, storage.Get<TrainingStepStore>());

    [Fact]
    public async Task Jsonl_and_parquet_round_trip_every_stored_value()
    {
        var jsonl = folder.File("out/run.jsonl");
        var parquet = folder.File("out/run.parquet");
        Directory.CreateDirectory(folder.File("out"));
        var progress = new List<ExportProgress>();
        var summary = await ReplayExportFile.WriteAsync(Exporter, runId, jsonl, new Collect(progress), CancellationToken.None);
        await ReplayExportFile.WriteAsync(Exporter, runId, parquet, null, CancellationToken.None);

        Assert.Equal(11, summary.Rows);
        Assert.Equal(5, summary.Groups);
        Assert.Equal(5, summary.TrainedRows); // batch 0: prompts 0 (3) and 2 (2)
        Assert.Equal(new ExportProgress(11, 11), progress[^1]);
        string[] expectedColumns =
        [
            "prompt", "completion", "reward", "accuracy", "format", "pass_rate", "verdict", "advantage", "policy_version", "batch",
            "prompt_id", "step", "token_ids", "logprobs", "finish_reason",
        ];
        Assert.Equal(expectedColumns, summary.Columns);
        Assert.Equal(["out/run.jsonl", "out/run.parquet"], Directory.GetFiles(folder.File("out")).Select(f => Path.GetRelativePath(folder.Path, f)).Order());

        var (fromJsonl, jsonColumns) = ReadJsonl(jsonl);
        var (fromParquet, parquetColumns) = await ReadParquetAsync(parquet);
        Assert.Equal(expectedColumns, jsonColumns);
        Assert.Equal(expectedColumns, parquetColumns);
        await AssertRowsMatchStoreAsync(fromJsonl);
        await AssertRowsMatchStoreAsync(fromParquet);
    }

    [Fact]
    public async Task Parquet_with_small_row_groups_reads_back_the_same_rows()
    {
        var path = folder.File("small-groups.parquet");
        await Exporter.ExportAsync(runId, async (columns, token) =>
            await ParquetExportWriter.CreateAsync(File.Create(path), columns, token, rowGroupRows: 4), null, CancellationToken.None);

        await using (var file = File.OpenRead(path))
        await using (var reader = await ParquetReader.CreateAsync(file))
            Assert.Equal(3, reader.RowGroupCount); // 4 + 4 + 3 rows
        await AssertRowsMatchStoreAsync((await ReadParquetAsync(path)).Rows);
    }

    [Fact]
    public async Task The_advantage_is_the_one_the_learner_computed()
    {
        var rows = await Exporter.RowsAsync(runId, Settings).ToListAsync();
        var group = rows.Where(r => r.Batch == 0 && r.PromptId == 0).ToArray();

        // Rewards plus the overlong penalty (MaxTokens 8, buffer 4: a 6-token completion is 2 into the buffer,
        // −1 · 2/4 = −0.5): [1, 1 − 0.5, 0] = [1, 0.5, 0]. Mean 0.5; unbiased std sqrt((0.5² + 0² + 0.5²) / 2) = 0.5;
        // advantage (r − 0.5) / (0.5 + 1e-4) = [0.5 / 0.5001, 0, −0.5 / 0.5001] ≈ [0.99980, 0, −0.99980], as float.
        float expected = (float)(0.5 / (0.5 + 1e-4));
        Assert.Equal([expected, 0f, -expected], group.Select(r => r.Advantage!.Value));

        // Prompt 2: rewards [1/3, 0] (no penalty), mean 1/6, std sqrt(2 · (1/6)²) = √2/6 ≈ 0.235702;
        // ±(1/6) / (0.235702 + 1e-4) ≈ ±0.706807.
        var second = rows.Where(r => r.Batch == 0 && r.PromptId == 2).Select(r => r.Advantage!.Value).ToArray();
        Assert.Equal(0.706807, second[0], 5);
        Assert.Equal(-second[0], second[1]);
    }

    [Fact]
    public async Task Groups_not_trained_on_have_no_advantage()
    {
        var rows = await Exporter.RowsAsync(runId, Settings).ToListAsync();
        Assert.All(rows.Where(r => r.Batch == 0 && r.PromptId == 1), r => Assert.Equal(((float?)null, (int?)1), (r.Advantage, r.Step)));  // zero-variance
        Assert.All(rows.Where(r => r.Batch == 1), r => Assert.Equal(((float?)null, (int?)2), (r.Advantage, r.Step)));                    // stale
        Assert.All(rows.Where(r => r.Batch == 2), r => Assert.Equal(((float?)null, (int?)null), (r.Advantage, r.Step)));                 // never consumed
        Assert.Equal(5, rows.Count(r => r.Advantage is not null));  // batch 0, prompts 0 and 2: trained on
    }

    [Fact]
    public async Task A_record_that_disagrees_with_the_stored_rewards_fails_the_export()
    {
        // The settings say dynamic sampling is off, so prompt 1 would have been trained on; the record says dropped.
        var other = Settings with { Grpo = new GrpoOptions { OverlongBuffer = 4, DynamicSampling = false } };
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Exporter.RowsAsync(runId, other).ToListAsync().AsTask());
        Assert.Contains("dropped group (batch 0, prompt 1)", error.Message);
    }

    [Fact]
    public async Task An_unknown_run_is_refused_and_leaves_no_file()
    {
        var path = folder.File("unknown.jsonl");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ReplayExportFile.WriteAsync(Exporter, Guid.NewGuid(), path, null, CancellationToken.None));
        Assert.StartsWith("no run ", error.Message);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Theory]
    [InlineData("run.csv")]
    [InlineData("run.json")]
    [InlineData("run")]
    public void Only_jsonl_and_parquet_files_are_written(string path)
    {
        var error = Assert.Throws<ArgumentException>(() => ReplayExportFile.FormatOf(path));
        Assert.Contains(".jsonl", error.Message);
        Assert.Equal(ExportFormat.Parquet, ReplayExportFile.FormatOf("a/b.PARQUET"));
        Assert.Equal(ExportFormat.Jsonl, ReplayExportFile.FormatOf("b.jsonl"));
    }

    [Fact]
    public void Component_columns_put_the_known_keys_first_and_rename_a_clash_with_a_fixed_column()
    {
        var columns = new ExportColumns(["zeta", "format", "reward", "accuracy"]);
        Assert.Equal(["accuracy", "format", "reward", "zeta"], columns.ComponentKeys);
        Assert.Equal(["accuracy", "format", "reward_component", "zeta"], columns.ComponentColumns);
        Assert.Equal(["prompt", "completion", "reward", "accuracy", "format", "reward_component", "zeta", "verdict"], columns.Names.Take(8));
    }

    /// <summary>Every row, in (batch, prompt, index) order, carries exactly what was stored; the advantages are
    /// checked in <see cref="The_advantage_is_the_one_the_learner_computed"/> and must agree with the exporter's.</summary>
    async Task AssertRowsMatchStoreAsync(IReadOnlyList<ExportRow> rows)
    {
        var expected = stored.SelectMany(g => g.Completions.Select(c => (Group: g, Completion: c, Score: g.Scores.Single(s => s.Index == c.Index)))).ToArray();
        Assert.Equal(expected.Length, rows.Count);
        var advantages = (await Exporter.RowsAsync(runId, Settings).ToListAsync()).Select(r => r.Advantage).ToArray();
        for (int i = 0; i < rows.Count; i++)
        {
            var (group, completion, score) = expected[i];
            var row = rows[i];
            Assert.Equal(group.Prompt.Text, row.Prompt);
            Assert.Equal(completion.Text, row.Completion);
            Assert.Equal(score.Reward, row.Reward);
            Assert.Equal(score.Components.OrderBy(c => c.Key), row.Components.OrderBy(c => c.Key));
            Assert.Equal(score.Verdict, row.Verdict);
            Assert.Equal(advantages[i], row.Advantage);
            Assert.Equal(group.PolicyVersion, row.PolicyVersion);
            Assert.Equal(group.BatchId, row.Batch);
            Assert.Equal(group.PromptId, row.PromptId);
            Assert.Equal(group.BatchId switch { 0 => 1, 1 => 2, _ => (int?)null }, row.Step);
            Assert.Equal(PackedArrays.UnpackInts(completion.TokenIds), row.TokenIds);
            Assert.Equal(PackedArrays.UnpackFloats(completion.LogProbs), row.LogProbs);
            Assert.Equal(completion.FinishReason, row.FinishReason);
        }
        Assert.Equal(5, advantages.Count(a => a is not null));
    }

    static (List<ExportRow> Rows, IReadOnlyList<string> Columns) ReadJsonl(string path)
    {
        var lines = File.ReadAllLines(path);
        var rows = new List<ExportRow>();
        IReadOnlyList<string> columns = [];
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var row = json.RootElement;
            var names = row.EnumerateObject().Select(p => p.Name).ToArray();
            columns = names;
            var componentNames = names[(Array.IndexOf(names, "reward") + 1)..Array.IndexOf(names, "verdict")];
            rows.Add(new ExportRow(
                row.GetProperty("prompt").GetString()!,
                row.GetProperty("completion").GetString()!,
                row.GetProperty("reward").GetDouble(),
                componentNames.Where(n => row.GetProperty(n).ValueKind != JsonValueKind.Null).ToDictionary(n => n, n => row.GetProperty(n).GetDouble()),
                row.GetProperty("verdict").GetString()!,
                row.GetProperty("advantage").ValueKind == JsonValueKind.Null ? null : row.GetProperty("advantage").GetSingle(),
                row.GetProperty("policy_version").GetInt32(),
                row.GetProperty("batch").GetInt32(),
                row.GetProperty("prompt_id").GetInt32(),
                row.GetProperty("step").ValueKind == JsonValueKind.Null ? null : row.GetProperty("step").GetInt32(),
                row.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray(),
                row.GetProperty("logprobs").EnumerateArray().Select(t => t.GetSingle()).ToArray(),
                row.GetProperty("finish_reason").GetString()!));
        }
        return (rows, columns);
    }

    /// <summary>The file's rows and top-level column names, read column by column with Parquet.Net.</summary>
    static async Task<(List<ExportRow> Rows, IReadOnlyList<string> Columns)> ReadParquetAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file);
        var fields = reader.Schema.Fields;
        DataField Data(string name) => (DataField)fields.Single(f => f.Name == name);
        DataField Element(string name) => (DataField)((ListField)fields.Single(f => f.Name == name)).Item;
        var names = fields.Select(f => f.Name).ToList();
        var componentNames = names.GetRange(names.IndexOf("reward") + 1, names.IndexOf("verdict") - names.IndexOf("reward") - 1);

        var rows = new List<ExportRow>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = (int)group.RowCount;
            async Task<string[]> Strings(string name)
            {
                var values = new string?[n];
                await group.ReadAsync(Data(name), values.AsMemory());
                return values.Select(v => v!).ToArray();
            }
            async Task<T[]> Values<T>(string name) where T : struct
            {
                var values = new T[n];
                await group.ReadAsync<T>(Data(name), values.AsMemory());
                return values;
            }
            async Task<T?[]> Nullable<T>(string name) where T : struct
            {
                var values = new T?[n];
                await group.ReadAsync<T>(Data(name), values.AsMemory());
                return values;
            }
            async Task<List<T[]>> Lists<T>(string name) where T : struct
            {
                var element = Element(name);
                int entries = (int)group.GetMetadata(element)!.MetaData!.NumValues;
                var values = new T[entries];
                var definitions = new int[entries];
                var repetitions = new int[entries];
                await group.ReadRawAsync<T>(element, values, definitions, repetitions);
                var lists = new List<List<T>>();
                int next = 0;
                for (int i = 0; i < entries; i++)
                {
                    if (repetitions[i] == 0) lists.Add([]);
                    if (definitions[i] == element.MaxDefinitionLevel) lists[^1].Add(values[next++]);
                }
                return lists.Select(l => l.ToArray()).ToList();
            }

            var prompt = await Strings("prompt");
            var completion = await Strings("completion");
            var reward = await Values<double>("reward");
            var components = new Dictionary<string, double?[]>();
            foreach (var name in componentNames) components[name] = await Nullable<double>(name);
            var verdict = await Strings("verdict");
            var advantage = await Nullable<float>("advantage");
            var version = await Values<int>("policy_version");
            var batch = await Values<int>("batch");
            var promptId = await Values<int>("prompt_id");
            var step = await Nullable<int>("step");
            var tokens = await Lists<int>("token_ids");
            var logProbs = await Lists<float>("logprobs");
            var finish = await Strings("finish_reason");
            Assert.Equal(n, tokens.Count);
            Assert.Equal(n, logProbs.Count);
            for (int i = 0; i < n; i++)
                rows.Add(new ExportRow(prompt[i], completion[i], reward[i],
                    components.Where(c => c.Value[i] is not null).ToDictionary(c => c.Key, c => c.Value[i]!.Value),
                    verdict[i], advantage[i], version[i], batch[i], promptId[i], step[i], tokens[i], logProbs[i], finish[i]));
        }
        return (rows, names);
    }

    sealed record Sample(int Index, string Text, int[] Tokens, float[] LogProbs, double Reward, string Verdict, string FinishReason,
        double? Accuracy = 0, double? Format = 0, double? PassRate = null);

    RolloutGroupScored Group(int batch, int prompt, int version, params Sample[] samples) => new()
    {
        RunId = runId,
        BatchId = batch,
        PromptId = prompt,
        PolicyVersion = version,
        Prompt = new RolloutPrompt { PromptId = prompt, Text = $"<prompt {batch}/{prompt}> What is 2 + 2?", Task = "math", Reference = "4" },
        Completions = samples.Select(s => new Completion
        {
            Index = s.Index,
            Text = s.Text,
            TokenIds = PackedArrays.Pack(s.Tokens),
            LogProbs = PackedArrays.Pack(s.LogProbs),
            FinishReason = s.FinishReason,
        }).ToArray(),
        Scores = samples.Select(s => new CompletionScore
        {
            Index = s.Index,
            Reward = s.Reward,
            Components = new Dictionary<string, double?>
            {
                [RewardComponents.Accuracy] = s.Accuracy,
                [RewardComponents.Format] = s.Format,
                ["pass_rate"] = s.PassRate,
            }
                .Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!.Value),
            Verdict = s.Verdict,
        }).ToArray(),
    };

    static int[] Tokens(int count) => Enumerable.Range(100, count).ToArray();

    sealed class Collect(List<ExportProgress> into) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value) => into.Add(value);
    }
}
