using Microsoft.Extensions.Configuration;
using Pipeline.Cli.Hosting;
using Pipeline.Learner.Grpo;
using Pipeline.Learner.Runs;
using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Cli.Workflows;

public static class RunConfigs
{
    /// <summary>The run's settings from configuration, validated (a bad value names its setting).</summary>
    public static RunConfig From(IConfiguration configuration) => new(
        PipelineConfiguration.Bind<RunSettings>(configuration, RunSettings.Section),
        PipelineConfiguration.Bind<ArithmeticOptions>(configuration, ArithmeticOptions.Section),
        PipelineConfiguration.Bind<GrpoOptions>(configuration, GrpoOptions.SectionName));
}
