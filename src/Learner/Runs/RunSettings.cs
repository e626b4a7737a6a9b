using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;
using Pipeline.Learner.Grpo;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Learner.Runs;

/// <summary>A run's settings: everything that defines a run (sections "Run", "Task", "Countdown", "Grpo"). Read once,
/// where the run is started (<c>pipeline train</c>, the demo, a benchmark), sent to the learner inside
/// <c>StartRun</c> and stored with the run as JSON, so evaluations and replays rebuild the same task. No service
/// reads these sections from its own configuration.</summary>
public sealed record RunSettings(RunOptions Run, ArithmeticOptions Task, GrpoOptions Grpo)
{
    static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() }, WriteIndented = false };

    /// <summary>The Countdown task's settings, used when <see cref="RunOptions.Task"/> is <c>countdown</c>. A member
    /// with a default rather than a fourth constructor parameter: settings stored before Countdown existed have no
    /// such property and still read back (with the defaults, which they never used), and every existing
    /// construction stays as it was.</summary>
    public CountdownOptions Countdown { get; init; } = new();

    /// <summary>The libtorch intra-op threads the run's learner trained with, recorded by the learner when the run
    /// starts (null in settings stored before it was recorded). The GRPO step on the CPU is bit-identical only on the
    /// same thread count, so a replay uses this one unless told otherwise.</summary>
    public int? LearnerThreads { get; init; }

    /// <summary>The four sections from <paramref name="configuration"/>, validated (a bad value names its setting).</summary>
    public static RunSettings From(IConfiguration configuration) => new(
        OptionsBinding.Bind<RunOptions>(configuration, RunOptions.Section),
        OptionsBinding.Bind<ArithmeticOptions>(configuration, ArithmeticOptions.Section),
        OptionsBinding.Bind<GrpoOptions>(configuration, GrpoOptions.SectionName))
    {
        Countdown = OptionsBinding.Bind<CountdownOptions>(configuration, CountdownOptions.Section),
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunSettings FromJson(string json) =>
        JsonSerializer.Deserialize<RunSettings>(json, Json) ?? throw new InvalidDataException("empty run configuration");
}
