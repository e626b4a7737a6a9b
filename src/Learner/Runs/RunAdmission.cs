using Pipeline.Hosting;
using Pipeline.Learner.Grpo;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using Pipeline.Rewards;
using Pipeline.Tasks;
using Pipeline.Tasks.Arithmetic;

namespace Pipeline.Learner.Runs;

/// <summary>What a run must satisfy before the learner trains it, whoever sent it: every section within its declared
/// ranges (a <c>StartRun</c> is not bound from configuration, so nothing else has checked it), its paths under the
/// learner's roots (<see cref="LearnerOptions"/>), its completions and prompts fitting the base policy's positions, and
/// the reward rules its problems need available here.</summary>
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
        long groupBytes = EstimatedGroupBytes(config.Run);
        if (groupBytes > learner.MaxMessageBytes)
            throw new ArgumentException(
                $"Run:GroupSize {config.Run.GroupSize} × Run:MaxTokens {config.Run.MaxTokens} makes scored groups of about {groupBytes:N0} bytes, " +
                $"more than Learner:MaxMessageBytes {learner.MaxMessageBytes:N0}");
        Under(config.Run.BasePolicy, learner.PolicyRoot, "Run:BasePolicy", "Learner:PolicyRoot");
        Under(config.Run.CheckpointDirectory, learner.CheckpointRoot, "Run:CheckpointDirectory", "Learner:CheckpointRoot");
        if (!string.IsNullOrWhiteSpace(config.Run.Dataset))
            Under(config.Run.Dataset, learner.DatasetRoot, "Run:Dataset", "Learner:DatasetRoot");
    }

    /// <summary>An upper estimate of one scored group's message: per token a packed id and log-prob (4 + 4 bytes, base64:
    /// ~11) and its text (up to ~13 bytes as escaped JSON), per completion ~512 bytes of score and framing.</summary>
    public static long EstimatedGroupBytes(RunOptions run) => (long)run.GroupSize * (run.MaxTokens * 24L + 512);

    /// <summary>Completions of <see cref="RunOptions.MaxTokens"/> must leave room for a prompt in the policy's context.</summary>
    public static void CheckFits(RunSettings config, PolicyConfig policy)
    {
        if (config.Run.MaxTokens >= policy.MaxPositionEmbeddings)
            throw new ArgumentException($"Run:MaxTokens {config.Run.MaxTokens} leaves no room for a prompt: the base policy has {policy.MaxPositionEmbeddings} positions");
    }

    /// <summary>What the run's problems need, checked before the run starts rather than met in its middle: every
    /// prompt fits the policy's context beside <see cref="RunOptions.MaxTokens"/> (<see cref="PromptLengths"/>), every
    /// kind has reward rules, and those rules can run on this learner — its held-out evaluations score with them, so a
    /// code dataset needs the sandbox here too.</summary>
    /// <exception cref="ArgumentException">A prompt is too long or a kind is unknown; the message names the problem.</exception>
    /// <exception cref="Pipeline.Sandboxing.SandboxUnavailableException">Code problems, and no sandbox on this learner.</exception>
    public static async Task CheckProblemsAsync(ITaskSource task, PromptTokens prompts, int maxTokens, PolicyConfig policy,
        CompletionScorerRouter scorers, CancellationToken cancellationToken)
    {
        PromptLengths.Check(task.Listed, prompts, maxTokens, policy.MaxPositionEmbeddings);
        foreach (var problem in task.Listed.DistinctBy(p => p.Kind.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            ICompletionScorer scorer;
            try
            {
                scorer = scorers.Resolve(problem.Kind);
            }
            catch (ScoringInputException e)
            {
                throw new ArgumentException($"{problem.Describe()}: {e.Message}", e);
            }
            await scorer.EnsureAvailableAsync(cancellationToken);
        }
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
