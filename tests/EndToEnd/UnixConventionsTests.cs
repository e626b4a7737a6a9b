using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline</c> as a Unix tool: results on standard output, progress and errors on standard error,
/// <c>--json -</c> alone on standard output, and the documented exit codes (0 success, 1 the work failed, 2 bad usage
/// or input), with failures in one line and no stack trace.</summary>
public sealed class UnixConventionsTests
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Verify_with_an_invalid_line_exits_2_after_writing_every_result_on_stdout_and_the_summary_on_stderr()
    {
        using var pipeline = new PipelineProcess();
        await File.WriteAllLinesAsync(pipeline.PathOf("in.jsonl"),
        [
            """{"completion": "<think>6+6=12</think><answer>12</answer>", "answer": "12"}""",
            """{"completion": 12""",
            """{"completion": "<think>1+1</think><answer>3</answer>", "answer": "2"}""",
        ]);

        var run = await pipeline.RunAsync(Limit, "verify", "--in", "in.jsonl");

        Assert.True(run.ExitCode == 2, run.Output);
        var results = Lines(run.StandardOutput).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["equivalent", "invalid-input", "not-equivalent"], results.Select(r => r.GetProperty("verdict").GetString()));
        Assert.Contains("3 lines: 1 correct, 1 invalid input", run.StandardError);
        Assert.DoesNotContain("lines:", run.StandardOutput);
    }

    [Fact]
    public async Task Json_dash_writes_parseable_json_alone_on_stdout()
    {
        using var pipeline = new PipelineProcess();
        var database = $"Storage:ConnectionString=Data Source={pipeline.PathOf("runs.db")}";
        var migrate = await pipeline.RunAsync(Limit, "db", "migrate", "--set", database);
        Assert.True(migrate.ExitCode == 0, migrate.Output);

        var list = await pipeline.RunAsync(Limit, "runs", "list", "--set", database, "--json", "-");

        Assert.True(list.ExitCode == 0, list.Output);
        using var json = JsonDocument.Parse(list.StandardOutput);
        Assert.Equal(JsonValueKind.Array, json.RootElement.ValueKind);
        Assert.Contains("id", list.StandardError); // the human-readable table moved to standard error

        await File.WriteAllLinesAsync(pipeline.PathOf("in.jsonl"), ["""{"completion": "<think>x</think><answer>12</answer>", "answer": "12"}"""]);
        var verify = await pipeline.RunAsync(Limit, "verify", "--in", "in.jsonl", "--out", "out.jsonl", "--json", "-");
        Assert.True(verify.ExitCode == 0, verify.Output);
        using var summary = JsonDocument.Parse(verify.StandardOutput);
        Assert.Equal(1, summary.RootElement.GetProperty("lines").GetInt32());
    }

    [Fact]
    public async Task Train_with_a_closed_broker_port_fails_in_one_line_without_a_stack_trace()
    {
        using var pipeline = new PipelineProcess();
        int port = ClosedPort();

        var run = await pipeline.RunAsync(Limit, "train", "--set", "RabbitMq:Host=127.0.0.1", "--set", $"RabbitMq:Port={port}");

        Assert.True(run.ExitCode == 1, run.Output);
        AssertOneErrorLine(run, $"127.0.0.1:{port}", "could not be reached");
    }

    [Fact]
    public async Task Train_with_a_broker_that_never_answers_gives_up_after_the_connect_timeout()
    {
        using var pipeline = new PipelineProcess();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the kernel's backlog) and never speaks AMQP
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var run = await pipeline.RunAsync(Limit, "train", "--set", "RabbitMq:Host=127.0.0.1", "--set", $"RabbitMq:Port={port}",
            "--set", "RabbitMq:ConnectTimeoutSeconds=2");

        Assert.True(run.ExitCode == 1, run.Output);
        AssertOneErrorLine(run, $"127.0.0.1:{port}", "could not be reached", "RabbitMq:ConnectTimeoutSeconds");
    }

    [Fact]
    public async Task A_bad_setting_exits_2_naming_the_setting_on_stderr()
    {
        using var pipeline = new PipelineProcess();

        var run = await pipeline.RunAsync(Limit, "train", "--set", "Run:Steps=0");

        Assert.True(run.ExitCode == 2, run.Output);
        AssertOneErrorLine(run, "Run:Steps");
    }

    [Fact]
    public async Task An_unknown_option_exits_2_with_the_error_on_stderr()
    {
        using var pipeline = new PipelineProcess();

        var run = await pipeline.RunAsync(Limit, "verify", "--in", "x.jsonl", "--no-such-option");

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains("--no-such-option", run.StandardError);
        Assert.Equal("", run.StandardOutput.Trim());
    }

    static void AssertOneErrorLine(PipelineRun run, params string[] expected)
    {
        Assert.Equal("", run.StandardOutput.Trim());
        var lines = Lines(run.StandardError);
        Assert.True(lines.Length == 1, $"expected one line on standard error:\n{run.StandardError}");
        Assert.StartsWith("error: ", lines[0]);
        foreach (var text in expected) Assert.Contains(text, lines[0]);
        Assert.DoesNotContain("   at ", run.StandardError);
    }

    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
