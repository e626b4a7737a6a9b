using System.Text.Json.Nodes;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Policy.Sampling;
using Pipeline.Tests.Data;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy.HuggingFace;

[Collection(TorchCollection.Name)]
public sealed class HuggingFaceCheckpointTests
{
    static int[] Greedy(CausalLm policy, int tokens) =>
        new Sampler(policy).Sample([[Stories260K.Bos]], 1, new SamplingParameters(0f, 1f, tokens), (_, _) => 0)[0][0].Tokens;

    static Tensor Logits(CausalLm policy, params long[] ids)
    {
        using var noGrad = no_grad();
        var input = tensor(ids, [1, ids.Length]);
        var keyMask = ones(1, ids.Length, dtype: @bool);
        return policy.Logits(input, AttentionMasks.Positions(keyMask), AttentionMasks.Causal(keyMask, ids.Length)).to(float32);
    }

    [Fact]
    public void The_fixtures_config_is_read_with_grouped_query_attention_and_tied_embeddings()
    {
        var config = Checkpoint.ReadConfig(Stories260K.Directory);

        Assert.Equal(PolicyConfig.Llama, config.Architecture);
        Assert.Equal((8, 4, 8), (config.NumAttentionHeads, config.KeyValueHeads, config.HeadDim));
        Assert.True(config.TieWordEmbeddings);
        Assert.Equal((1, new TokenIds(2)), (config.BosTokenId, config.EosTokenIds));
    }

    [Fact]
    public void Greedy_generation_from_bos_reproduces_the_text_in_the_fixtures_readme()
    {
        using var scope = NewDisposeScope();
        using var policy = Checkpoint.Load(Stories260K.Directory);

        var text = policy.Tokenizer.Decode(Greedy(policy, 20));

        Assert.StartsWith(Stories260K.GreedyFromBos, text);
    }

    [Fact]
    public void The_bf16_sharded_copy_gives_the_same_first_tokens()
    {
        using var scope = NewDisposeScope();
        using var f32 = Checkpoint.Load(Stories260K.Directory);
        using var bf16 = Checkpoint.Load(Stories260K.Bf16ShardedDirectory);

        Assert.Equal(Greedy(f32, 12), Greedy(bf16, 12));
        Assert.Matches("^[0-9a-f]{64}$", Checkpoint.Sha256Of(Stories260K.Bf16ShardedDirectory));
    }

    [Fact]
    public void A_policy_in_bfloat16_generates_the_readme_text_too()
    {
        using var scope = NewDisposeScope();
        using var policy = Checkpoint.Load(Stories260K.Directory).MoveTo(CPU, bfloat16);

        Assert.Equal(bfloat16, policy.ComputeDtype);
        Assert.StartsWith("Once upon a time", policy.Tokenizer.Decode(Greedy(policy, 8)));
    }

    [Fact]
    public void A_checkpoint_pipeline_writes_is_a_hugging_face_directory_that_reads_back_into_identical_logits()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        using var original = Checkpoint.Load(Stories260K.Directory);
        var directory = temp.File("v00001");

        var sha = Checkpoint.Save(original, directory);
        using var reread = Checkpoint.Load(directory, sha);

        foreach (var file in new[] { "config.json", "generation_config.json", "tokenizer.json", "model.safetensors" })
            Assert.True(File.Exists(Path.Combine(directory, file)), file);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "config.json")))!;
        Assert.Equal("LlamaForCausalLM", (string?)config["architectures"]![0]);
        Assert.Equal(4, (int)config["num_key_value_heads"]!);
        var (tensors, metadata) = SafetensorsFile.Read(Path.Combine(directory, "model.safetensors"));
        Assert.Equal("pt", metadata["format"]);
        Assert.DoesNotContain(tensors, t => t.Key == "lm_head.weight"); // tied, as transformers writes it
        foreach (var (_, tensor) in tensors) tensor.Dispose();
        Assert.Equal(original.Config, reread.Config);
        Assert.True(TinyPolicy.Identical(Logits(original, 1, 403, 407, 261, 378), Logits(reread, 1, 403, 407, 261, 378)));
    }

    [Fact]
    public void A_qwen2_directory_loads_its_query_key_value_biases_and_runs()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        using var llama = Checkpoint.Load(Stories260K.Directory);
        var zeroBias = Qwen2From(Stories260K.Directory, temp.File("qwen2-zero"), bias: 0f);
        var someBias = Qwen2From(Stories260K.Directory, temp.File("qwen2"), bias: 0.5f);

        using var qwenZero = Checkpoint.Load(zeroBias);
        using var qwen = Checkpoint.Load(someBias);

        Assert.Equal(PolicyConfig.Qwen2, qwen.Config.Architecture);
        var parameters = TinyPolicy.Parameters(qwen);
        Assert.Equal(0.5f, parameters["model.layers.0.self_attn.k_proj.bias"].mean().item<float>(), 1e-6f);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", parameters.Keys);
        var expected = Logits(llama, 1, 403, 407);
        Assert.True(expected.allclose(Logits(qwenZero, 1, 403, 407), rtol: 0, atol: 1e-5));
        var biased = Logits(qwen, 1, 403, 407);
        Assert.False(expected.allclose(biased, rtol: 0, atol: 1e-3));
        Assert.True(biased.isfinite().all().item<bool>());
        Assert.Equal(4, Greedy(qwen, 4).Length);
    }

    [Fact]
    public void A_missing_tensor_is_a_one_line_error_naming_it()
    {
        using var temp = new TempDirectory();
        var directory = CopyOf(Stories260K.Directory, temp.File("broken"));
        var (tensors, _) = SafetensorsFile.Read(Path.Combine(directory, "model.safetensors"));
        SafetensorsFile.Write(Path.Combine(directory, "model.safetensors"),
            tensors.Where(t => t.Key != "model.layers.3.mlp.up_proj.weight").ToArray(), new Dictionary<string, string> { ["format"] = "pt" });
        foreach (var (_, tensor) in tensors) tensor.Dispose();

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(directory));

        Assert.Contains("model.layers.3.mlp.up_proj.weight", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_model_directory_without_tokenizer_json_is_refused_naming_the_file()
    {
        using var temp = new TempDirectory();
        var directory = CopyOf(Stories260K.Directory, temp.File("no-tokenizer"));
        File.Delete(Path.Combine(directory, "tokenizer.json"));

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(directory));

        Assert.Contains("tokenizer.json", error.Message);
    }

    [Fact]
    public void An_unsupported_architecture_is_a_one_line_error_naming_it()
    {
        using var temp = new TempDirectory();
        var directory = CopyOf(Stories260K.Directory, temp.File("gpt2"));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "config.json")))!;
        config["architectures"] = new JsonArray("GPT2LMHeadModel");
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(directory));

        Assert.Contains("GPT2LMHeadModel", error.Message);
    }

    [Fact]
    public void Eos_may_be_a_list_and_generation_config_overrides_config()
    {
        using var temp = new TempDirectory();
        var directory = CopyOf(Stories260K.Directory, temp.File("eos"));
        File.WriteAllText(Path.Combine(directory, "generation_config.json"), """{"bos_token_id": 1, "eos_token_id": [2, 13]}""");

        var config = Checkpoint.ReadConfig(directory);

        Assert.Equal(new TokenIds(2, 13), config.EosTokenIds);
        Assert.Equal(2, config.PadId);
    }

    static string CopyOf(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    /// <summary>The Llama fixture relabelled as Qwen2 (q/k/v biases; no o_proj bias) with every bias set to
    /// <paramref name="bias"/>, written in BF16-free F32 with the biases appended.</summary>
    static string Qwen2From(string llama, string target, float bias)
    {
        CopyOf(llama, target);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(target, "config.json")))!;
        config["architectures"] = new JsonArray("Qwen2ForCausalLM");
        config["model_type"] = "qwen2";
        File.WriteAllText(Path.Combine(target, "config.json"), config.ToJsonString());
        var (tensors, _) = SafetensorsFile.Read(Path.Combine(target, "model.safetensors"));
        var withBias = tensors.ToList();
        foreach (var (name, weight) in tensors.Where(t => t.Key.EndsWith("q_proj.weight") || t.Key.EndsWith("k_proj.weight") || t.Key.EndsWith("v_proj.weight")).ToArray())
            withBias.Add(KeyValuePair.Create(name.Replace(".weight", ".bias"), full(weight.shape[0], bias)));
        SafetensorsFile.Write(Path.Combine(target, "model.safetensors"), withBias, new Dictionary<string, string> { ["format"] = "pt" });
        foreach (var (_, tensor) in withBias) tensor.Dispose();
        return target;
    }
}
