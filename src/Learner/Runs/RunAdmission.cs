using Pipeline.Hosting;
using Pipeline.Learner.Grpo;
using Pipeline.Policy.Model;
using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Learner.Runs;

/// <summary>What a run must satisfy before the learner trains it, whoever sent it: every section within its declared
/// ranges (a <c>StartRun</c> is not bound from configuration, so nothing else has checked it), its paths under the
/// learner's roots (<see cref="LearnerOptions"/>), and its completions fitting the base policy's positions.</summary>
public static class RunAdmission
{
    /// <exception cref="ArgumentException">The run is refused; the message says why.</exception>
    public static void Check(RunSettings config, LearnerOptions learner)
    {
        try
        {
            OptionsBinding.Validate(config.Run, RunOptions.Section);
            OptionsBinding.Validate(config.Task, ArithmeticOptions.Section);
            OptionsBinding.Validate(config.Grpo, GrpoOptions.SectionName);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            throw new ArgumentException($"invalid run settings: {string.Join("; ", e.Failures)}", e);
        }
        Under(config.Run.BasePolicy, learner.PolicyRoot, "Run:BasePolicy", "Learner:PolicyRoot");
        Under(config.Run.CheckpointDirectory, learner.CheckpointRoot, "Run:CheckpointDirectory", "Learner:CheckpointRoot");
        if (!string.IsNullOrWhiteSpace(config.Run.Dataset))
            Under(config.Run.Dataset, learner.DatasetRoot, "Run:Dataset", "Learner:DatasetRoot");
    }

    /// <summary>Completions of <see cref="RunOptions.MaxTokens"/> must leave room for a prompt in the policy's context.</summary>
    public static void CheckFits(RunSettings config, PolicyConfig policy)
    {
        if (config.Run.MaxTokens >= policy.MaxPositionEmbeddings)
            throw new ArgumentException($"Run:MaxTokens {config.Run.MaxTokens} leaves no room for a prompt: the base policy has {policy.MaxPositionEmbeddings} positions");
    }

    static void Under(string path, string? root, string setting, string rootSetting)
    {
        if (string.IsNullOrWhiteSpace(root)) return;
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var top = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (full != top && !full.StartsWith(top + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"{setting} '{full}' is not under {rootSetting} '{top}'");
    }
}
