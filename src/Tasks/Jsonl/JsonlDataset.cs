using System.Text.Json;

namespace Pipeline.Tasks.Jsonl;

/// <summary>A user's own problems, one JSON object per line: <c>{"prompt": "…", "answer": "…"}</c>, optionally
/// <c>"id"</c> and <c>"kind"</c> (default "math"). Every tenth problem (by a stable hash of its prompt) is held
/// out for evaluation, so the split does not depend on the file's order.</summary>
public sealed class JsonlDataset : ITaskSource
{
    readonly IReadOnlyList<Problem> _training;

    JsonlDataset(string name, IReadOnlyList<Problem> training, IReadOnlyList<Problem> heldOut)
    {
        Name = name;
        _training = training;
        HeldOut = heldOut;
    }

    public string Name { get; }

    public IReadOnlyList<Problem> HeldOut { get; }

    public IReadOnlyList<Problem> Training => _training;

    public Problem NextTraining(Random random) => _training[random.Next(_training.Count)];

    public static JsonlDataset Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"dataset file '{path}' does not exist", path);
        var training = new List<Problem>();
        var heldOut = new List<Problem>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var problem = Parse(line, lineNumber, path);
            (StableHash(problem.Question) % 10 == 0 ? heldOut : training).Add(problem);
        }
        if (training.Count == 0) throw new InvalidDataException($"{path}: no training problems (the file is empty or every problem was held out)");
        return new JsonlDataset(Path.GetFileName(path), training, heldOut);
    }

    static Problem Parse(string line, int lineNumber, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            string prompt = Required(root, "prompt"), answer = Required(root, "answer");
            string id = root.TryGetProperty("id", out var idValue) ? idValue.ToString() : $"line-{lineNumber}";
            string kind = root.TryGetProperty("kind", out var kindValue) ? kindValue.GetString() ?? TaskKinds.Math : TaskKinds.Math;
            return new Problem(id, prompt, answer, kind);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{path}:{lineNumber}: {e.Message}", e);
        }
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
