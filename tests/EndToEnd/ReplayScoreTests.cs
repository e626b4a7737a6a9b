namespace Pipeline.Tests.EndToEnd;

/// <summary><c>pipeline replay score</c> as a process: its refusals are one line with exit code 2.</summary>
public sealed class ReplayScoreTests
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Replay_score_of_an_unknown_run_exits_2_with_one_error_line()
    {
        using var pipeline = new PipelineProcess();
        var database = $"Storage:ConnectionString=Data Source={pipeline.PathOf("runs.db")}";
        var migrate = await pipeline.RunAsync(Limit, "db", "migrate", "--set", database);
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        var unknown = Guid.NewGuid();

        var run = await pipeline.RunAsync(Limit, "replay", "score", unknown.ToString(), "--set", database, "--json", "-");

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Equal("", run.StandardOutput.Trim());
        Assert.Equal($"error: no run {unknown} in the configured database", run.StandardError.Trim());
    }
}
