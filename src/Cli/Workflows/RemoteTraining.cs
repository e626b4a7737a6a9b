using Microsoft.Extensions.Configuration;
using Pipeline.Cli.Output;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;
using Spectre.Console;

namespace Pipeline.Cli.Workflows;

/// <summary>A run on separately running services (<see cref="RemoteRun"/>), followed on the terminal.</summary>
public static class RemoteTraining
{
    public static Task<Guid> StartAsync(IConfiguration configuration, RunSettings config, CancellationToken cancellation) =>
        RemoteRun.StartAsync(configuration, config, cancellation);

    /// <summary>Follows the run until it ends (see <see cref="RemoteRun.WaitAsync"/>), printing progress when it changes.</summary>
    public static async Task<RunReport> WaitAsync(IConfiguration configuration, Guid runId, TimeSpan limit, CancellationToken cancellation)
    {
        string last = "";
        var summary = await RemoteRun.WaitAsync(configuration, runId, limit, progress =>
        {
            var report = RunReport.From(progress);
            var line = $"{report.Status}: {report.PolicyVersions} versions, {report.GroupsScored}/{report.GroupsExpected} groups scored";
            if (line != last) AnsiConsole.WriteLine(last = line);
        }, cancellation);
        return RunReport.From(summary);
    }
}
