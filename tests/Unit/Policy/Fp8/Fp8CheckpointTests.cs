using System.Text.Json;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Tests.Data;
using static TorchSharp.torch;

namespace Pipeline.Tests.Unit.Policy.Fp8;

[Collection(GlobalGeneratorCollection.Name)]
public sealed class Fp8CheckpointTests
{
    [Fact]
    public void An_fp8_checkpoint_loads_back_within_the_block_scaling_error_of_the_original()
    {
        using var scope = NewDisposeScope();
        using var directory = new TempDirectory();
        manual_seed(8);
        using var policy = new CausalLm(CausalLm.DefaultConfig() with { IntermediateSize = 200 }); // ragged 128-blocks
        var path = directory.File("v1");

        var sha = Checkpoint.Save(policy, path, CheckpointFormat.Fp8);
        using var loaded = Checkpoint.Load(path, sha);

        Assert.Equal(CheckpointFormat.Fp8, Checkpoint.FormatOf(path));
        Assert.False(File.Exists(Path.Combine(path, Checkpoint.WeightsFile)));
        var original = policy.state_dict();
        var (stored, _) = SafetensorsFile.Read(Path.Combine(path, Checkpoint.Fp8WeightsFile));
        var scales = stored.ToDictionary(t => t.Key, t => t.Value);
        foreach (var (name, after) in loaded.state_dict())
        {
            var before = original[name];
            if (Fp8Weights.IsQuantised(name, before))
                Fp8QuantiserTests.AssertWithinBlockError(before, after, scales[name + Fp8Weights.ScaleSuffix], 128);
            else
                Assert.Equal(0f, (after - before).abs().max().item<float>());
        }
    }

    [Fact]
    public void The_fp8_file_holds_e4m3_codes_and_one_scale_per_128_by_128_block()
    {
        using var scope = NewDisposeScope();
        using var directory = new TempDirectory();
        manual_seed(9);
        using var policy = new CausalLm(CausalLm.DefaultConfig()); // hidden 128, intermediate 384
        Checkpoint.Save(policy, directory.File("v"), CheckpointFormat.Fp8);
        var file = Path.Combine(directory.File("v"), Checkpoint.Fp8WeightsFile);

        var header = ReadHeader(file);

        Assert.Equal("safetensors-fp8-e4m3-block128", header.GetProperty("__metadata__").GetProperty("pipeline.format").GetString());
        Assert.Equal("F8_E4M3", header.GetProperty("model.layers.0.self_attn.q_proj.weight").GetProperty("dtype").GetString());
        Assert.Equal([1, 1], Shape(header, "model.layers.0.self_attn.q_proj.weight.scale"));
        Assert.Equal([3, 1], Shape(header, "model.layers.0.mlp.gate_proj.weight.scale"));
        Assert.Equal([1, 3], Shape(header, "model.layers.0.mlp.down_proj.weight.scale"));
        Assert.Equal("F8_E4M3", header.GetProperty("lm_head.weight").GetProperty("dtype").GetString());
        Assert.Equal("F32", header.GetProperty("model.embed_tokens.weight").GetProperty("dtype").GetString());
        Assert.Equal("F32", header.GetProperty("model.norm.weight").GetProperty("dtype").GetString());
    }

    [Fact]
    public void An_fp8_checkpoint_takes_under_three_tenths_of_the_fp32_bytes()
    {
        using var scope = NewDisposeScope();
        using var directory = new TempDirectory();
        manual_seed(10);
        using var policy = new CausalLm(CausalLm.DefaultConfig());

        Checkpoint.Save(policy, directory.File("fp32"));
        Checkpoint.Save(policy, directory.File("fp8"), CheckpointFormat.Fp8);

        double fp32 = new FileInfo(Path.Combine(directory.File("fp32"), Checkpoint.WeightsFile)).Length;
        double fp8 = new FileInfo(Path.Combine(directory.File("fp8"), Checkpoint.Fp8WeightsFile)).Length;
        Assert.InRange(fp8 / fp32, 0.25, 0.3); // 1 byte instead of 4 for all but the embeddings and norms
    }

    [Fact]
    public void A_head_tied_to_the_embeddings_stays_fp32_with_them()
    {
        using var scope = NewDisposeScope();
        using var directory = new TempDirectory();
        manual_seed(15);
        using var policy = new CausalLm(Fp8LinearTests.TinyConfig() with { TieWordEmbeddings = true });
        Checkpoint.Save(policy, directory.File("v"), CheckpointFormat.Fp8);

        using var loaded = Checkpoint.Load(directory.File("v"));

        var before = policy.state_dict();
        var after = loaded.state_dict();
        Assert.Equal(0f, (after["lm_head.weight"] - before["lm_head.weight"]).abs().max().item<float>());
        Assert.Equal(0f, (after["model.embed_tokens.weight"] - before["model.embed_tokens.weight"]).abs().max().item<float>());
    }

    [Fact]
    public void A_wrong_hash_loads_nothing()
    {
        using var directory = new TempDirectory();
        using var policy = new CausalLm(Fp8LinearTests.TinyConfig());
        Checkpoint.Save(policy, directory.File("v"), CheckpointFormat.Fp8);

        Assert.Throws<InvalidDataException>(() => Checkpoint.Load(directory.File("v"), new string('0', 64)));
    }

    [Fact]
    public void Loading_with_fp8_precision_gives_fp8_layers_and_config_json_never_records_it()
    {
        using var directory = new TempDirectory();
        using var policy = new CausalLm(Fp8LinearTests.TinyConfig() with { Precision = LinearPrecision.Fp8 });
        Checkpoint.Save(policy, directory.File("v"));

        using var loaded = Checkpoint.Load(directory.File("v"), precision: LinearPrecision.Fp8);
        using var plain = Checkpoint.Load(directory.File("v"));

        Assert.DoesNotContain("recision", File.ReadAllText(directory.File("v/config.json")));
        Assert.Equal(LinearPrecision.Fp8, loaded.Config.Precision);
        Assert.Equal(LinearPrecision.Fp32, plain.Config.Precision);
        Assert.Contains(loaded.named_modules(), m => m.module is Fp8Linear);
        Assert.DoesNotContain(plain.named_modules(), m => m.module is Fp8Linear);
    }

    [Fact]
    public void Safetensors_round_trip_keeps_bytes_order_and_metadata()
    {
        using var scope = NewDisposeScope();
        using var directory = new TempDirectory();
        var a = tensor(new float[] { 1.5f, -2f, 3.25f, 0f, 7f, 8f }).view(2, 3);
        var b = Fp8Quantiser.Cast(tensor(new float[] { 0.3f, -448f, 1f }));
        var path = directory.File("t.safetensors");

        SafetensorsFile.Write(path, [new("b", b), new("a", a)], new Dictionary<string, string> { ["k"] = "v" });
        var (read, metadata) = SafetensorsFile.Read(path);

        Assert.Equal(["b", "a"], read.Select(t => t.Key));
        Assert.Equal("v", metadata["k"]);
        Assert.Equal(new long[] { 2, 3 }, read[1].Value.shape);
        Assert.Equal(a.data<float>().ToArray(), read[1].Value.data<float>().ToArray());
        Assert.Equal(b.dtype, read[0].Value.dtype);
        Assert.Equal(new[] { 0.3125f, -448f, 1f }, read[0].Value.to(float32).data<float>().ToArray());
        Assert.Equal(0, (new FileInfo(path).Length - 6 * 4 - 3) % 8); // header padded to 8 bytes
    }

    static JsonElement ReadHeader(string path)
    {
        var bytes = File.ReadAllBytes(path);
        long length = BitConverter.ToInt64(bytes, 0);
        return JsonDocument.Parse(bytes.AsMemory(8, (int)length)).RootElement;
    }

    static long[] Shape(JsonElement header, string name) =>
        header.GetProperty(name).GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
}
