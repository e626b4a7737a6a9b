using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Tests.EndToEnd;

/// <summary>A pretrained model nobody here trained (tests/Fixtures/stories260K, Karpathy's stories260K as a Hugging
/// Face Llama directory): <c>pipeline generate</c> reproduces its README's greedy text, and a short embedded GRPO run
/// starts from it and publishes Hugging Face directories that <c>generate</c> reads back.</summary>
public sealed class HuggingFaceTests
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);
    static readonly string Config = Path.Combine(AppContext.BaseDirectory, "configs", "tiny.json");
    static readonly string Stories = Path.Combine(AppContext.BaseDirectory, "Fixtures", "stories260K");

    [Fact]
    public async Task Generate_from_bos_prints_the_readme_text_and_writes_the_token_ids()
    {
        using var pipeline = new PipelineProcess();

        var run = await pipeline.RunAsync(Limit, "generate", "--model", Stories, "--max-tokens", "16", "--json", "generate.json");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.StartsWith("Once upon a time, there was a little girl named Lily.", run.StandardOutput);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("generate.json")));
        Assert.Equal([1], json.RootElement.GetProperty("prompt_token_ids").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal([403, 407, 261, 378], json.RootElement.GetProperty("token_ids").EnumerateArray().Take(4).Select(t => t.GetInt32()));
        Assert.StartsWith("Once upon a time", json.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_grpo_run_from_the_fixture_publishes_hugging_face_directories()
    {
        using var pipeline = new PipelineProcess();

        var train = await pipeline.RunAsync(Limit, "train", "--config", Config, "--json", "train.json",
            "--set", $"Run:BasePolicy={Stories}", "--set", "Run:Steps=2", "--set", "Run:PromptsPerBatch=4",
            "--set", "Run:GroupSize=2", "--set", "Run:MaxTokens=16", "--set", "Run:EvaluateEvery=0");

        Assert.True(train.ExitCode == 0, train.Output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("train.json")));
        var final = json.RootElement.GetProperty("final_checkpoint").GetString()!;
        foreach (var file in new[] { "config.json", "generation_config.json", "tokenizer.json", "model.safetensors", "optimizer.bin" })
            Assert.True(File.Exists(Path.Combine(final, file)), file);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(final, "config.json")))!;
        Assert.Equal("LlamaForCausalLM", (string?)config["architectures"]![0]);
        Assert.Equal(4, (int)config["num_key_value_heads"]!);
        Assert.Equal(File.ReadAllText(Path.Combine(Stories, "tokenizer.json")), File.ReadAllText(Path.Combine(final, "tokenizer.json")));

        var generate = await pipeline.RunAsync(Limit, "generate", "--model", final, "--max-tokens", "8");
        Assert.True(generate.ExitCode == 0, generate.Output);
        Assert.False(string.IsNullOrWhiteSpace(generate.StandardOutput));
    }

    [Fact]
    public async Task A_model_of_another_architecture_is_refused_in_one_line_naming_it()
    {
        using var pipeline = new PipelineProcess();
        var directory = pipeline.PathOf("gpt2");
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Stories)) File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "config.json")))!;
        config["architectures"] = new JsonArray("GPT2LMHeadModel");
        await File.WriteAllTextAsync(Path.Combine(directory, "config.json"), config.ToJsonString());

        var run = await pipeline.RunAsync(Limit, "generate", "--model", directory);

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("GPT2LMHeadModel", run.StandardError);
    }
}
