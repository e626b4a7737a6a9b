using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NativeTokenizer = Tokenizers.DotNet.Tokenizer;

namespace Pipeline.Policy.Tokenization;

/// <summary>The one tokenizer of every policy: a Hugging Face <c>tokenizer.json</c> run by Hugging Face's own Rust
/// tokenizers (Tokenizers.DotNet), so SentencePiece-style BPE with byte fallback (Llama 2), byte-level BPE (Qwen2,
/// Llama 3, SmolLM) and Pipeline's byte tokenizer (<see cref="ByteTokenizer"/>, itself a <c>tokenizer.json</c>) encode
/// exactly as transformers does. Prompts, stop sequences and rewards work on text; ids only pass through here.
/// Native tokenizers are loaded once per distinct file content and live as long as the process.</summary>
public sealed class PolicyTokenizer
{
    public const string FileName = "tokenizer.json";

    static readonly ConcurrentDictionary<string, Lazy<PolicyTokenizer>> Loaded = new();

    readonly NativeTokenizer _native;
    readonly int _prefix, _suffix;

    PolicyTokenizer(string json, string path)
    {
        Json = json;
        _native = new NativeTokenizer(vocabPath: path);
        (_prefix, _suffix) = SpecialsAround(JsonNode.Parse(json)?["post_processor"]);
    }

    /// <summary>The <c>tokenizer.json</c> text, written into every checkpoint of the policy.</summary>
    public string Json { get; }

    /// <summary>The tokenizer of a checkpoint directory: its <c>tokenizer.json</c>; a directory without one is a
    /// Pipeline checkpoint from before tokenizers were files, whose tokenizer is <see cref="ByteTokenizer"/>.</summary>
    public static PolicyTokenizer Of(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? FromFile(path) : ByteTokenizer.Instance;
    }

    public static PolicyTokenizer FromFile(string path)
    {
        var json = File.ReadAllText(path);
        return Loaded.GetOrAdd(Hash(json), _ => new Lazy<PolicyTokenizer>(() => new PolicyTokenizer(json, path))).Value;
    }

    /// <summary>A tokenizer from <c>tokenizer.json</c> text (the native library reads files, so the text is written
    /// once to the temporary directory under its hash).</summary>
    public static PolicyTokenizer FromJson(string json)
    {
        var hash = Hash(json);
        return Loaded.GetOrAdd(hash, _ => new Lazy<PolicyTokenizer>(() =>
        {
            var path = Path.Combine(Path.GetTempPath(), $"pipeline-tokenizer-{hash[..16]}.json");
            if (!File.Exists(path) || File.ReadAllText(path) != json)
            {
                var partial = $"{path}.{Guid.NewGuid():N}.partial";
                File.WriteAllText(partial, json);
                File.Move(partial, path, overwrite: true);
            }
            return new PolicyTokenizer(json, path);
        })).Value;
    }

    /// <summary>The text's own tokens, without what the post-processor adds (bos): a completion, a stop sequence.</summary>
    public int[] Encode(string text)
    {
        var all = EncodeWithSpecialTokens(text);
        return all[_prefix..(all.Length - _suffix)];
    }

    /// <summary>The text's tokens as the post-processor frames them (bos first for Llama): a prompt.</summary>
    public int[] EncodeWithSpecialTokens(string text)
    {
        var ids = _native.Encode(text);
        if (ids.Length < _prefix + _suffix) throw new InvalidOperationException("the tokenizer's post-processor added fewer tokens than its template says");
        return Array.ConvertAll(ids, id => (int)id);
    }

    /// <summary>Text of the ids; special tokens (bos, eos, padding) produce nothing.</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        if (ids.IsEmpty) return "";
        var raw = new uint[ids.Length];
        for (int i = 0; i < ids.Length; i++) raw[i] = (uint)ids[i];
        return _native.Decode(raw);
    }

    public void SaveTo(string directory) => File.WriteAllText(Path.Combine(directory, FileName), Json);

    /// <summary>How many ids the post-processor puts before and after a single sequence.</summary>
    static (int Prefix, int Suffix) SpecialsAround(JsonNode? processor)
    {
        switch ((string?)processor?["type"])
        {
            case "TemplateProcessing":
                var single = processor!["single"]?.AsArray() ?? [];
                var specials = processor["special_tokens"];
                int prefix = 0, suffix = 0;
                bool seenSequence = false;
                foreach (var piece in single)
                {
                    if (piece?["Sequence"] is not null) { seenSequence = true; continue; }
                    var name = (string?)piece?["SpecialToken"]?["id"];
                    int count = name is not null && specials?[name]?["ids"] is JsonArray ids ? ids.Count : 1;
                    if (seenSequence) suffix += count; else prefix += count;
                }
                return (prefix, suffix);
            case "Sequence":
                int before = 0, after = 0;
                foreach (var inner in processor!["processors"]?.AsArray() ?? [])
                {
                    var (p, s) = SpecialsAround(inner);
                    before += p;
                    after += s;
                }
                return (before, after);
            case "BertProcessing" or "RobertaProcessing":
                return (1, 1);
            default:
                return (0, 0);
        }
    }

    static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
}
