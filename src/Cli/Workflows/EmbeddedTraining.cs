using Microsoft.Extensions.Configuration;
using Pipeline.Cli.Output;
using Pipeline.Learner.Evaluation;
using Pipeline.Learner.Runs;
using Pipeline.Orchestration;

namespace Pipeline.Cli.Workflows;

/// <summary>Runs one training run with every service in this process (<see cref="EmbeddedRun"/>), showing its
/// progress on the terminal until it ends.</summary>
public static class EmbeddedTraining
{
    public static async Task<(RunOutcome Outcome, IReadOnlyList<(int Version, PolicyScore Score)> Curve)> RunAsync(
        IConfiguration configuration, RunSettings config, CancellationToken cancellation)
    {
        var display = new TrainingDisplay(config.Run.Steps);
        var result = await EmbeddedRun.RunAsync(configuration, config, display, display.ShowUntilAsync, cancellation);
        return (result.Outcome, result.Curve);
    }
}
