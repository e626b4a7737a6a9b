using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Model;
using Pipeline.Tests.Data;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy;

[Collection(TorchCollection.Name)]
public sealed class CheckpointTests
{
    static Tensor SomeLogits(CausalLm policy)
    {
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 257, 263, 49, 43, 50, 264, 259, 49 }, [2, 4]);
        var keyMask = ones(2, 4, dtype: @bool);
        return policy.Logits(ids, AttentionMasks.Positions(keyMask), AttentionMasks.Causal(keyMask, 4));
    }

    [Fact]
    public void Save_then_load_gives_identical_parameters_and_logits()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        using var saved = TinyPolicy.Create(seed: 1);
        var directory = temp.File("ckpt");

        Checkpoint.Save(saved, directory);
        using var loaded = Checkpoint.Load(directory);

        Assert.Equal(saved.Config, loaded.Config);
        var expected = saved.state_dict();
        var actual = loaded.state_dict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected) Assert.True(TinyPolicy.Identical(value, actual[name]), name);
        Assert.True(TinyPolicy.Identical(SomeLogits(saved), SomeLogits(loaded)));
    }

    [Fact]
    public void A_staged_checkpoint_holds_the_weights_of_when_it_was_staged_and_appears_only_when_committed()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        using var policy = TinyPolicy.Create(seed: 4);
        var directory = temp.File("ckpt");
        var before = policy.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        using var staged = Checkpoint.Stage(policy, directory);
        Assert.False(Directory.Exists(directory));
        Assert.True(File.Exists(Path.Combine(staged.Staging, Checkpoint.WeightsFile)));
        using (no_grad())
            foreach (var parameter in policy.parameters()) parameter.add_(1.0f);   // the learner's next step, meanwhile
        var sha = staged.Commit();

        Assert.False(Directory.Exists(staged.Staging));
        using var loaded = Checkpoint.Load(directory, sha);
        foreach (var (name, value) in loaded.state_dict()) Assert.True(TinyPolicy.Identical(before[name], value), name);
    }

    [Fact]
    public void A_staged_checkpoint_disposed_without_commit_leaves_nothing_behind()
    {
        using var temp = new TempDirectory();
        using var policy = TinyPolicy.Create(seed: 5);
        var directory = temp.File("ckpt");

        var staged = Checkpoint.Stage(policy, directory);
        staged.Dispose();

        Assert.False(Directory.Exists(staged.Staging));
        Assert.False(Directory.Exists(directory));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(directory)!));
    }

    [Fact]
    public void The_returned_hash_is_the_weights_files_sha256_and_verifies_on_load()
    {
        using var temp = new TempDirectory();
        using var policy = TinyPolicy.Create(seed: 2);
        var directory = temp.File("ckpt");

        var sha = Checkpoint.Save(policy, directory);

        var bytes = File.ReadAllBytes(Path.Combine(directory, "model.safetensors"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        Assert.Matches("^[0-9a-f]{64}$", sha);
        using var loaded = Checkpoint.Load(directory, sha.ToUpperInvariant());
        Assert.Equal(policy.Config, loaded.Config);
    }

    [Fact]
    public void A_wrong_expected_hash_throws_and_names_both_hashes()
    {
        using var temp = new TempDirectory();
        using var policy = TinyPolicy.Create(seed: 3);
        var directory = temp.File("ckpt");
        var sha = Checkpoint.Save(policy, directory);
        var wrong = new string('0', 64);

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(directory, wrong));

        Assert.Contains(sha, error.Message);
        Assert.Contains(wrong, error.Message);
    }

    [Fact]
    public void A_directory_without_the_checkpoint_files_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var empty = temp.File("empty");
        Directory.CreateDirectory(empty);
        var configOnly = temp.File("config-only");
        Directory.CreateDirectory(configOnly);
        File.WriteAllText(Path.Combine(configOnly, "config.json"), "{}");

        foreach (var directory in new[] { empty, configOnly, temp.File("missing") })
        {
            var error = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(directory));
            Assert.Contains(directory, error.Message);
            Assert.Contains("config.json", error.Message);
            Assert.Contains("model.safetensors", error.Message);
            Assert.False(Checkpoint.Exists(directory));
        }
    }

    [Fact]
    public void Config_json_uses_hugging_face_names()
    {
        using var temp = new TempDirectory();
        using var policy = TinyPolicy.Create(seed: 4);
        var directory = temp.File("ckpt");

        Checkpoint.Save(policy, directory);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "config.json")));
        var root = json.RootElement;
        Assert.Equal(
            new[]
            {
                "architectures", "attention_bias", "bos_token_id", "eos_token_id", "head_dim", "hidden_act", "hidden_size",
                "intermediate_size", "max_position_embeddings", "mlp_bias", "model_type", "num_attention_heads",
                "num_hidden_layers", "num_key_value_heads", "pad_token_id", "rms_norm_eps", "rope_scaling", "rope_theta",
                "tie_word_embeddings", "torch_dtype", "vocab_size",
            },
            root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("llama", root.GetProperty("model_type").GetString());
        Assert.Equal("LlamaForCausalLM", root.GetProperty("architectures")[0].GetString());
        Assert.Equal(265, root.GetProperty("vocab_size").GetInt32());
        Assert.Equal(32, root.GetProperty("hidden_size").GetInt32());
        Assert.Equal(64, root.GetProperty("intermediate_size").GetInt32());
        Assert.Equal(2, root.GetProperty("num_hidden_layers").GetInt32());
        Assert.Equal(2, root.GetProperty("num_attention_heads").GetInt32());
        Assert.Equal(128, root.GetProperty("max_position_embeddings").GetInt32());
        Assert.Equal(1e-5, root.GetProperty("rms_norm_eps").GetDouble());
        Assert.Equal(10000.0, root.GetProperty("rope_theta").GetDouble());
        Assert.Equal(257, root.GetProperty("bos_token_id").GetInt32());
        Assert.Equal(258, root.GetProperty("eos_token_id").GetInt32());
        Assert.Equal(256, root.GetProperty("pad_token_id").GetInt32());
        Assert.Equal(policy.Config, Checkpoint.ReadConfig(directory));
    }

    [Fact]
    public void Saving_over_a_checkpoint_replaces_it_and_leaves_no_partial_directory()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        using var first = TinyPolicy.Create(seed: 5);
        using var second = TinyPolicy.Create(seed: 6);
        var directory = temp.File("ckpt");
        Checkpoint.Save(first, directory);
        File.WriteAllText(Path.Combine(directory, "stale.txt"), "left over from the first checkpoint");

        var sha = Checkpoint.Save(second, directory);

        Assert.Equal(new[] { "ckpt" }, Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
        Assert.Equal(new[] { "config.json", "generation_config.json", "model.safetensors", "tokenizer.json" }, Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        using var loaded = Checkpoint.Load(directory, sha);
        Assert.True(TinyPolicy.Identical(SomeLogits(second), SomeLogits(loaded)));
        Assert.False(TinyPolicy.Identical(SomeLogits(first), SomeLogits(loaded)));
    }

    [Fact]
    public void Checkpoint_uris_are_file_uris_that_round_trip()
    {
        var uri = CheckpointUris.FromPath("/var/checkpoints/run 1/v3");

        Assert.Equal("file:///var/checkpoints/run%201/v3", uri);
        Assert.Equal("/var/checkpoints/run 1/v3", CheckpointUris.ToPath(uri));
    }

    [Theory]
    [InlineData("s3://bucket/run/v3")]
    [InlineData("checkpoints/v3")]
    [InlineData("https://example.org/v3")]
    public void Only_file_uris_are_accepted(string uri)
    {
        var error = Assert.Throws<ArgumentException>(() => CheckpointUris.ToPath(uri));

        Assert.Contains(uri, error.Message);
    }
}
