using System.Text.Json;
using Pipeline.Tasks.Code;

namespace Pipeline.Tasks.Jsonl;

/// <summary>A user's own problems, one JSON object per line: <c>{"prompt": "…", "answer": "…"}</c>, optionally
/// <c>"id"</c> (default <c>line-N</c>) and <c>"kind"</c> (default "math"). A code problem carries its tests as
/// <c>pipeline verify</c>'s code lines do — <c>"tests": [{"input": "…", "output": "…"}, …]</c> and/or
/// <c>"test_code": "…"</c> — and its kind is then "code" by default; they are checked as the code rules read them, so
/// a malformed test is refused here, naming its line, not scored as a failure later. Every tenth problem (by a stable
/// hash of its prompt) is held out for evaluation, so the split does not depend on the file's order; a line's
/// <c>"split": "train"</c> or <c>"held-out"</c> decides for that problem instead (a dataset of a dozen problems would
/// otherwise hold out one or none).</summary>
public sealed class JsonlDataset : ITaskSource
{
    public const string TrainSplit = "train", HeldOutSplit = "held-out";

    readonly IReadOnlyList<Problem> _training;
    readonly IReadOnlyList<Problem> _all;

    JsonlDataset(string name, IReadOnlyList<Problem> all, IReadOnlyList<Problem> training, IReadOnlyList<Problem> heldOut)
    {
        Name = name;
        _all = all;
        _training = training;
        HeldOut = heldOut;
    }

    public string Name { get; }

    public IReadOnlyList<Problem> HeldOut { get; }

    public IReadOnlyList<Problem> Training => _training;

    /// <summary>Every problem, in the file's order.</summary>
    public IEnumerable<Problem> Listed => _all;

    public Problem NextTraining(Random random) => _training[random.Next(_training.Count)];

    public static JsonlDataset Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"dataset file '{path}' does not exist", path);
        var all = new List<Problem>();
        var training = new List<Problem>();
        var heldOut = new List<Problem>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var (problem, split) = Parse(line, lineNumber, path);
            all.Add(problem);
            bool held = split is null ? StableHash(problem.Question) % 10 == 0 : split == HeldOutSplit;
            (held ? heldOut : training).Add(problem);
        }
        if (training.Count == 0) throw new InvalidDataException($"{path}: no training problems (the file is empty or every problem was held out)");
        return new JsonlDataset(Path.GetFileName(path), all, training, heldOut);
    }

    static (Problem Problem, string? Split) Parse(string line, int lineNumber, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            string prompt = Required(root, "prompt");
            string id = root.TryGetProperty("id", out var idValue) ? idValue.ToString() : $"line-{lineNumber}";
            var tests = CodeReference.JsonOfLine(root);
            string kind = root.TryGetProperty("kind", out var kindValue)
                ? kindValue.GetString() ?? TaskKinds.Math
                : tests is null ? TaskKinds.Math : TaskKinds.Code;
            var reference = Reference(root, kind, tests);
            var problem = new Problem(id, prompt, reference, kind) { Origin = $"{Path.GetFileName(path)}:{lineNumber}" };
            return (problem, Split(root));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InvalidDataException($"{path}:{lineNumber}: {e.Message}", e);
        }
    }

    /// <summary>A code problem's tests in their stored form, checked; otherwise the line's answer. A code line without
    /// tests may give the stored form itself as its answer.</summary>
    static string Reference(JsonElement root, string kind, string? tests)
    {
        bool code = string.Equals(kind.Trim(), TaskKinds.Code, StringComparison.OrdinalIgnoreCase);
        if (tests is not null && !code)
            throw new FormatException($"\"tests\" and \"test_code\" belong to code problems, not to kind '{kind}'");
        if (!code) return Required(root, "answer");
        if (tests is null && !root.TryGetProperty("answer", out _))
            throw new KeyNotFoundException("a code problem needs \"tests\" or \"test_code\"");
        return CodeReference.Parse(tests ?? Required(root, "answer")).ToJson();
    }

    static string? Split(JsonElement root)
    {
        if (!root.TryGetProperty("split", out var value)) return null;
        var split = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return split is TrainSplit or HeldOutSplit
            ? split
            : throw new FormatException($"\"split\" must be \"{TrainSplit}\" or \"{HeldOutSplit}\", not {value.GetRawText()}");
    }

    static string Required(JsonElement root, string name)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out var value))
            throw new KeyNotFoundException($"missing \"{name}\"");
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    /// <summary>FNV-1a over UTF-16 code units: stable across processes, unlike string.GetHashCode.</summary>
    static uint StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text) hash = (hash ^ c) * 16777619;
        return hash;
    }
}
