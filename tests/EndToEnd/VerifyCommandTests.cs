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

        Assert.True(exitCode == 2, output); // line 8 is invalid input; every line still has its result
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

    static string Program(string code) => $"<think>Read, compute, print.</think>\n<answer>\n```python\n{code}\n```\n</answer>";

    /// <summary>A small code file: stdin tests, assert-style test code, a malformed line and a math line.</summary>
    static readonly string[] CodeFile =
    [
        JsonSerializer.Serialize(new
        {
            kind = "code",
            completion = Program("import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))"),
            tests = new[] { new { input = "1 2 3\n", output = "6\n" }, new { input = "", output = "0\n" } },
        }),
        JsonSerializer.Serialize(new
        {
            kind = "code",
            completion = Program("def is_prime(n):\n    return n > 1"),
            test_code = "assert is_prime(2)\nassert not is_prime(9)\n",
        }),
        """{"kind": "code", "completion": "x", "tests": "1 2 3"}""",
        Line("<think>6+6=12</think><answer>12</answer>", "12"),
    ];

    [Fact]
    public async Task Runs_code_lines_against_their_tests_and_reports_each_verdict()
    {
        using var pipeline = new PipelineProcess();
        await File.WriteAllLinesAsync(pipeline.PathOf("code.jsonl"), CodeFile);

        var (exitCode, output) = await pipeline.RunAsync(TimeSpan.FromMinutes(2),
            "verify", "--in", "code.jsonl", "--out", "out.jsonl", "--json", "summary.json");

        Assert.True(exitCode == 2, output); // line 3 is invalid input
        var results = (await File.ReadAllLinesAsync(pipeline.PathOf("out.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(4, results.Length);
        Assert.Equal("""{"reward":1,"accuracy":1,"format":1,"verdict":"accepted","tests":[{"verdict":"accepted"},{"verdict":"accepted"}]}""",
            results[0].GetRawText());
        Assert.Equal("wrong-answer", results[1].GetProperty("verdict").GetString());
        Assert.Equal(0, results[1].GetProperty("reward").GetDouble());
        Assert.Equal(["accepted", "wrong-answer"], results[1].GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("verdict").GetString()));
        Assert.Equal("invalid-input", results[2].GetProperty("verdict").GetString());
        Assert.StartsWith("line 3: ", results[2].GetProperty("error").GetString());
        Assert.Equal("equivalent", results[3].GetProperty("verdict").GetString());
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("summary.json")));
        Assert.Equal(4, summary.RootElement.GetProperty("lines").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("correct").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("invalid").GetInt32());
    }

    [Fact]
    public async Task Without_a_sandbox_code_lines_are_refused_with_the_reason_and_math_lines_score()
    {
        using var pipeline = new PipelineProcess();
        await File.WriteAllLinesAsync(pipeline.PathOf("code.jsonl"), CodeFile);

        var (exitCode, output) = await pipeline.RunAsync(TimeSpan.FromMinutes(2),
            "verify", "--in", "code.jsonl", "--out", "out.jsonl", "--set", "Sandbox:BubblewrapPath=/nonexistent/bwrap");

        Assert.True(exitCode == 2, output); // line 3 is invalid input; refused lines alone do not change the exit code
        var results = (await File.ReadAllLinesAsync(pipeline.PathOf("out.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["sandbox-error", "sandbox-error", "invalid-input", "equivalent"], results.Select(r => r.GetProperty("verdict").GetString()));
        Assert.Equal([0.0, 0.0, 0.0, 1.5], results.Select(r => r.GetProperty("reward").GetDouble()));
        Assert.Contains("bubblewrap not found at '/nonexistent/bwrap'", results[0].GetProperty("error").GetString());
        Assert.Contains("2 code lines refused", output);
    }

    [Fact]
    public async Task Bench_verifier_writes_rule_and_sandbox_figures()
    {
        using var pipeline = new PipelineProcess();

        var (exitCode, output) = await pipeline.RunAsync(TimeSpan.FromMinutes(2),
            "bench", "verifier", "--rule-seconds", "0.2", "--runs", "4", "--completions", "6", "--json", "bench.json");

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(pipeline.PathOf("bench.json")));
        foreach (var name in new[]
                 {
                     "rule_scores_per_second_per_core", "sandbox_runs_per_second", "bare_runs_per_second", "sandbox_overhead_ratio",
                     "sandbox_completions_per_second", "per_completion_sandbox_completions_per_second",
                     "per_test_sandbox_completions_per_second", "sandbox_completions_speedup", "per_completion_sandbox_completions_speedup",
                 })
            Assert.True(json.RootElement.GetProperty(name).GetDouble() > 0, name);
        Assert.InRange(json.RootElement.GetProperty("mean_completion_chars").GetDouble(), 100, 200);
        Assert.Equal(4, json.RootElement.GetProperty("sandbox_runs").GetInt32());
        Assert.Equal(6, json.RootElement.GetProperty("sandbox_completions").GetInt32());
    }
}
