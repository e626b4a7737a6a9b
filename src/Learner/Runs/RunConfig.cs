using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Learner.Grpo;
using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Learner.Runs;

/// <summary>Everything that defines a run, stored with it as JSON so evaluations and replays rebuild the same task.</summary>
public sealed record RunConfig(RunSettings Run, ArithmeticOptions Task, GrpoOptions Grpo)
{
    static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() }, WriteIndented = false };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunConfig FromJson(string json) =>
        JsonSerializer.Deserialize<RunConfig>(json, Json) ?? throw new InvalidDataException("empty run configuration");
}
