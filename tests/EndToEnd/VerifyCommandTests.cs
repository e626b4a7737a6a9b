using System.Text.Json;

namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline verify</c> as a user runs it: a file of hand-written completions in, one result per line out.</summary>
public sealed class VerifyCommandTests
{
    [Fact]
    public async Task Scores_hand_written_completions_in_order_and_survives_malformed_lines()
    {
        using var pipeline = new PipelineProcess();
        var huge = "<think>" + new string('7', 1_000_000) + "</think><answer>12</answer>";
        string[] lines =
        [
            Line("<think>6+6=12</think><answer>12</answer>", "12"),
            Line("<think>a</think><answer>11</answer><think>b</think><answer>12</answer>", "12"),
            Line("<think>so</think> the answer is 12", "12"),
            Line("<think>x</think><answer>\\boxed{0.5}</answer>", "1/2"),
            Line("<think>x</think><answer>2/4</answer>", "0.5"),
            Line("<think>x</think><answer>12</answer> and more", "12"),
            Line("I think \\boxed{12}", "12"),
            "{\"completion\": 12",
            Line(huge, "12"),
        ];
        await File.WriteAllLinesAsync(pipeline.PathOf("in.jsonl"), lines);

        var (exitCode, output) = await pipeline.RunAsync(TimeSpan.FromMinutes(2), "verify", "--in", "in.jsonl", "--out", "out.jsonl");

        Assert.True(exitCode == 0, output);
        var results = (await File.ReadAllLinesAsync(pipeline.PathOf("out.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(lines.Length, results.Length);
        (int Accuracy, int Format)[] expected = [(1, 1), (1, 0), (0, 0), (1, 1), (1, 1), (1, 0), (1, 0), (0, 0), (1, 1)];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Accuracy == results[i].GetProperty("accuracy").GetInt32(), $"line {i + 1} accuracy: {results[i]}");
            Assert.True(expected[i].Format == results[i].GetProperty("format").GetInt32(), $"line {i + 1} format: {results[i]}");
        }
        Assert.Equal("invalid-input", results[7].GetProperty("verdict").GetString());
        Assert.Contains("line 8", results[7].GetProperty("error").GetString());
        Assert.Equal(1.5, results[0].GetProperty("reward").GetDouble(), 9);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_program_with_a_message_naming_it()
    {
        using var pipeline = new PipelineProcess();
        var (exitCode, output) = await pipeline.RunAsync(TimeSpan.FromMinutes(2), "train", "--set", "Run:GroupSize=0");
        Assert.Equal(2, exitCode);
        Assert.Contains("Run:GroupSize", output);
    }

    static string Line(string completion, string answer) => JsonSerializer.Serialize(new { completion, answer });
}
