using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Tests.Unit.Rewards.Math;

/// <summary>One (gold, prediction, expected) case of Hugging Face Math-Verify's own test suite, as converted into
/// <c>Data/MathVerifyCases.json</c> (Apache-2.0; the file names its source commit).</summary>
public sealed record MathVerifyCase(
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("gold")] string Gold,
    [property: JsonPropertyName("prediction")] string Prediction,
    [property: JsonPropertyName("expected")] int Expected)
{
    /// <summary>The prediction as an R1-Zero completion: reasoning, then the prediction inside the answer tags.</summary>
    public string Completion => $"<think>Let me work this out.</think>\n<answer>{Prediction}</answer>";

    public bool Matches => Expected == 1;

    sealed record File([property: JsonPropertyName("cases")] List<MathVerifyCase> Cases);

    public static IReadOnlyList<MathVerifyCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Rewards", "Math", "Data", "MathVerifyCases.json");
        return JsonSerializer.Deserialize<File>(System.IO.File.ReadAllText(path))!.Cases;
    }

    /// <summary>Where Pipeline deliberately disagrees with Math-Verify: source → reason, from
    /// <c>Data/MathVerifyDisagreements.tsv</c> (lines "source TAB reason"; '#' starts a comment).</summary>
    public static IReadOnlyDictionary<string, string> DeliberateDisagreements()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Rewards", "Math", "Data", "MathVerifyDisagreements.tsv");
        return System.IO.File.ReadLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t', 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
    }
}
