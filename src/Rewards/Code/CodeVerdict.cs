using System.Text.Json.Serialization;

namespace Pipeline.Rewards.Code;

/// <summary>The judgement of one test, or of a whole completion (its first failing test's, or accepted).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodeVerdict>))]
public enum CodeVerdict
{
    [JsonStringEnumMemberName("accepted")] Accepted,
    [JsonStringEnumMemberName("wrong-answer")] WrongAnswer,
    [JsonStringEnumMemberName("runtime-error")] RuntimeError,
    [JsonStringEnumMemberName("time-limit")] TimeLimit,
    [JsonStringEnumMemberName("memory-limit")] MemoryLimit,
    [JsonStringEnumMemberName("output-limit")] OutputLimit,

    /// <summary>The verifier's own machinery failed: no reward, never a pass.</summary>
    [JsonStringEnumMemberName("sandbox-error")] SandboxError,

    /// <summary>No program could be extracted from the completion (completion level only).</summary>
    [JsonStringEnumMemberName("bad-format")] BadFormat,
}

public static class CodeVerdictNames
{
    /// <summary>The verdict word used in <see cref="Pipeline.Contracts.CompletionScore.Verdict"/> and in JSON.</summary>
    public static string ToWire(this CodeVerdict verdict) => verdict switch
    {
        CodeVerdict.Accepted => "accepted",
        CodeVerdict.WrongAnswer => "wrong-answer",
        CodeVerdict.RuntimeError => "runtime-error",
        CodeVerdict.TimeLimit => "time-limit",
        CodeVerdict.MemoryLimit => "memory-limit",
        CodeVerdict.OutputLimit => "output-limit",
        CodeVerdict.SandboxError => "sandbox-error",
        CodeVerdict.BadFormat => "bad-format",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    public static CodeVerdict? FromWire(string word) => word switch
    {
        "accepted" => CodeVerdict.Accepted,
        "wrong-answer" => CodeVerdict.WrongAnswer,
        "runtime-error" => CodeVerdict.RuntimeError,
        "time-limit" => CodeVerdict.TimeLimit,
        "memory-limit" => CodeVerdict.MemoryLimit,
        "output-limit" => CodeVerdict.OutputLimit,
        "sandbox-error" => CodeVerdict.SandboxError,
        "bad-format" => CodeVerdict.BadFormat,
        _ => null,
    };
}
