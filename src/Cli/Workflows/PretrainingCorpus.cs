using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;
using Pipeline.Tasks;
using Pipeline.Tasks.Arithmetic;
using Pipeline.Tasks.Countdown;

namespace Pipeline.Cli.Workflows;

/// <summary>The pretraining corpus of a task: the problems it is written for and a completion for each — worked
/// solutions for arithmetic (section "Corpus"), search traces for Countdown (section "CountdownCorpus", its problems
/// thinned by <see cref="HitBalancedCountdown"/> where <see cref="CountdownCorpusOptions.BalanceHitLines"/>).</summary>
public sealed record PretrainingCorpus(ITaskSource Problems, Func<Problem, Random, string> Sample)
{
    public static PretrainingCorpus For(ITaskSource task, IConfiguration configuration)
    {
        if (task is CountdownTask countdown)
        {
            var options = OptionsBinding.Bind<CountdownCorpusOptions>(configuration, CountdownCorpusOptions.Section);
            var problems = options.BalanceHitLines ? new HitBalancedCountdown(countdown, options.MaxAttempts) : task;
            return new PretrainingCorpus(problems, new CountdownCorpus(options).Sample);
        }
        return new PretrainingCorpus(task, new ArithmeticCorpus(OptionsBinding.Bind<CorpusOptions>(configuration, CorpusOptions.Section)).Sample);
    }
}
