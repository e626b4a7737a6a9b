using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.Rewards;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;
using Pipeline.Verifier.Jsonl;

namespace Pipeline.Tests.Unit.Verifier;

public class JsonlVerifierTests
{
    static readonly JsonlVerifier Verifier =
        new(new CompletionScorerRouter([new MathScorer(Options.Create(new RewardOptions()))]));

    static Task<(VerifySummary Summary, string[] Lines)> Run(string input) => Run(Verifier, input);

    static async Task<(VerifySummary Summary, string[] Lines)> Run(JsonlVerifier verifier, string input)
    {
        var output = new StringWriter();
        var summary = await verifier.RunAsync(new StringReader(input), output, CancellationToken.None);
        return (summary, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Expected output of Data/tricky-completions.jsonl, line by line. For invalid lines, the error
    /// must contain each of the given fragments.</summary>
    static readonly (double Reward, int Accuracy, int Format, string Verdict, string[] Error)[] Expected =
    [
        (1.5, 1, 1, "equivalent", []),                                   // 1 well formed and right
        (0.5, 0, 1, "not-equivalent", []),                              // 2 well formed, wrong
        (1.0, 1, 0, "equivalent,bad-format", []),                        // 3 two answers: the last counts
        (0.0, 0, 0, "no-answer,bad-format", []),                      // 4 answer outside the tags
        (1.0, 1, 0, "equivalent,bad-format", []),                        // 5 \boxed{\frac{1}{2}} vs 0.5
        (1.5, 1, 1, "equivalent", []),                                   // 6 2/4 vs 1/2, kind "arithmetic"
        (1.0, 1, 0, "equivalent,bad-format", []),                        // 7 text after </answer>
        (1.0, 1, 0, "equivalent,bad-format", []),                        // 8 two think blocks, -3
        (0.0, 0, 0, "no-answer,bad-format", []),                      // 9 blank answer
        (1.5, 1, 1, "equivalent", []),                                   // 10 -1,234.50 vs -1234.5, kind "MATH"
        (1.5, 1, 1, "equivalent", []),                                   // 11 "  Paris." vs "Paris", kind null
        (0, 0, 0, "invalid-input", ["line 12", "not valid JSON"]),    // 12 truncated JSON
        (0, 0, 0, "invalid-input", ["line 13", "\"answer\" is missing"]),
        (0, 0, 0, "invalid-input", ["line 14", "\"completion\" must be a string, got a number"]),
        (0, 0, 0, "invalid-input", ["line 15", "unknown task kind 'chess'"]),
        (0, 0, 0, "invalid-input", ["line 16", "blank"]),
        (0, 0, 0, "invalid-input", ["line 17", "expected a JSON object, got an array"]),
        (1.5, 1, 1, "equivalent", []),                                   // 18 processing went on; extra field ignored
        (0, 0, 0, "invalid-input", ["line 19", "reference answer is empty"]),
    ];

    [Fact]
    public async Task The_tricky_fixture_scores_line_by_line()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Verifier", "Data", "tricky-completions.jsonl");
        using var input = File.OpenText(path);
        var output = new StringWriter();

        var summary = await Verifier.RunAsync(input, output, CancellationToken.None);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Expected.Length, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            var (reward, accuracy, format, verdict, error) = Expected[i];
            var where = $"line {i + 1}: {lines[i]}";
            Assert.True(reward == root.GetProperty("reward").GetDouble(), where);
            Assert.True(accuracy == root.GetProperty("accuracy").GetInt32(), where);
            Assert.True(format == root.GetProperty("format").GetInt32(), where);
            Assert.True(verdict == root.GetProperty("verdict").GetString(), where);
            if (error.Length == 0)
            {
                Assert.False(root.TryGetProperty("error", out _), where);
                Assert.Equal(4, root.EnumerateObject().Count());
            }
            else
            {
                var message = root.GetProperty("error").GetString()!;
                Assert.All(error, fragment => Assert.Contains(fragment, message));
            }
        }
        Assert.Equal(new VerifySummary(Lines: 19, Invalid: 7, Correct: 9), summary);
    }

    [Fact]
    public async Task Explain_adds_the_parsed_forms_of_a_math_line()
    {
        var output = new StringWriter();
        var input = """{"completion": "<think>1</think><answer>$x = \\frac{1}{2}$</answer>", "answer": "0.5"}""";

        await Verifier.RunAsync(new StringReader(input), output, explain: true, CancellationToken.None);

        Assert.Equal(
            """{"reward":1.5,"accuracy":1,"format":1,"verdict":"equivalent","parsed_reference":"1/2 (decimal)","parsed_answer":"x = (1 / 2)"}""",
            output.ToString().Trim());
    }

    [Fact]
    public async Task Writes_the_documented_shape()
    {
        var (_, lines) = await Run("""
            {"completion": "<think>1</think><answer>1/2</answer>", "answer": "0.5"}
            {"completion": "x", "answer": 1}
            """);

        Assert.Equal("""{"reward":1.5,"accuracy":1,"format":1,"verdict":"equivalent"}""", lines[0]);
        Assert.Equal(
            """{"reward":0,"accuracy":0,"format":0,"verdict":"invalid-input","error":"line 2: \"answer\" must be a string, got a number"}""",
            lines[1]);
    }

    [Fact]
    public async Task An_empty_input_gives_no_output()
    {
        var (summary, lines) = await Run("");

        Assert.Equal(new VerifySummary(0, 0, 0), summary);
        Assert.Empty(lines);
    }

    [Fact]
    public async Task A_megabyte_line_is_scored()
    {
        var completion = "<think>" + new string('x', 1 << 20) + "</think><answer>7</answer>";
        var (summary, lines) = await Run(JsonSerializer.Serialize(new { completion, answer = "7" }));

        Assert.Equal(new VerifySummary(1, 0, 1), summary);
        Assert.Contains("\"verdict\":\"equivalent\"", lines.Single());
    }

    /// <summary>Serves lines one at a time and checks that each earlier line's result is already written.</summary>
    sealed class LockstepReader(string[] lines, StringWriter output) : TextReader
    {
        int next;

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            Assert.Equal(next, output.ToString().Count(c => c == '\n'));
            return ValueTask.FromResult(next < lines.Length ? lines[next++] : null);
        }
    }

    [Fact]
    public async Task Streams_one_result_per_line_as_it_reads()
    {
        var output = new StringWriter();
        string[] input = ["""{"completion": "\\boxed{3}", "answer": "3"}""", "{", """{"completion": "", "answer": "3"}"""];

        var summary = await Verifier.RunAsync(new LockstepReader(input, output), output, CancellationToken.None);

        Assert.Equal(new VerifySummary(3, 1, 1), summary);
        Assert.Equal(3, output.ToString().Count(c => c == '\n'));
    }

    [Fact]
    public async Task Honours_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Verifier.RunAsync(new StringReader("{}"), new StringWriter(), cancelled.Token));
    }

    /// <summary>Math and code, on a machine where the sandbox cannot be established (no bubblewrap there).</summary>
    static JsonlVerifier WithCodeButNoSandbox() => new(new CompletionScorerRouter([
        new MathScorer(Options.Create(new RewardOptions())),
        new CodeCompletionScorer(new SandboxProvider(Options.Create(
            new SandboxOptions { BubblewrapPath = "/nonexistent/bwrap", UseCgroups = false }))),
    ]));

    [Fact]
    public async Task Malformed_code_lines_are_invalid_input_and_the_run_goes_on()
    {
        var output = new StringWriter();
        string[] input =
        [
            """{"kind": "code", "completion": "<answer>```\nprint(1)\n```</answer>"}""",
            """{"kind": "code", "completion": "x", "tests": {"input": "", "output": "1"}}""",
            """{"kind": "code", "completion": "x", "tests": [{"input": ""}]}""",
            """{"kind": "code", "completion": "x", "tests": [{"input": "", "output": "1", "expected": "1"}]}""",
            """{"kind": "code", "completion": "x", "tests": [], "test_code": "  "}""",
            """{"kind": "code", "completion": "x", "test_code": 7}""",
            """{"kind": "code", "tests": [{"input": "", "output": "1"}]}""",
            """{"completion": "<think>a</think><answer>2</answer>", "answer": "2"}""",
        ];

        var summary = await WithCodeButNoSandbox().RunAsync(new StringReader(string.Join('\n', input)), output, CancellationToken.None);

        var results = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(new VerifySummary(Lines: 8, Invalid: 7, Correct: 1), summary);
        string[] fragments =
        [
            "needs \"tests\" or \"test_code\"", "not valid", "missing required properties including: 'output'",
            "expected", "neither \"tests\" nor \"test_code\"", "not valid", "\"completion\" is missing",
        ];
        for (int i = 0; i < fragments.Length; i++)
        {
            Assert.Equal("invalid-input", results[i].GetProperty("verdict").GetString());
            Assert.Equal(0, results[i].GetProperty("reward").GetDouble());
            var error = results[i].GetProperty("error").GetString()!;
            Assert.True(error.StartsWith($"line {i + 1}: ", StringComparison.Ordinal) && error.Contains(fragments[i]), error);
        }
        Assert.Equal("equivalent", results[7].GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Without_a_sandbox_code_lines_are_refused_with_the_reason_and_math_lines_score()
    {
        var (summary, lines) = await Run(WithCodeButNoSandbox(), """
            {"kind": "code", "completion": "<answer>```python\nprint(1)\n```</answer>", "tests": [{"input": "", "output": "1\n"}]}
            {"completion": "<think>a</think><answer>2</answer>", "answer": "2"}
            """);

        Assert.Equal(new VerifySummary(Lines: 2, Invalid: 0, Correct: 1, Refused: 1), summary);
        Assert.Equal(
            """{"reward":0,"accuracy":0,"format":0,"verdict":"sandbox-error","error":"line 1: The code sandbox is unavailable, so code tasks are refused: bubblewrap not found at '/nonexistent/bwrap' (apt-get install bubblewrap)"}""",
            lines[0]);
        Assert.Equal("""{"reward":1.5,"accuracy":1,"format":1,"verdict":"equivalent"}""", lines[1]);
    }
}
