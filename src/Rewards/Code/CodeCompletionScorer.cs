using Pipeline.Contracts;
using Pipeline.Rewards;
using Pipeline.Sandboxing;
using Pipeline.Tasks;
using Pipeline.Tasks.Code;

namespace Pipeline.Rewards.Code;

/// <summary>The "code" task kind: the reference is a <see cref="CodeReference"/> in its stored JSON form, and the
/// completion's program runs against it in the verifier's one sandbox (<see cref="SandboxProvider"/>) through
/// <see cref="CodeScorer"/>. Where the sandbox cannot be established, every code task is refused with
/// <see cref="SandboxUnavailableException"/>; a program never runs outside it.</summary>
public sealed class CodeCompletionScorer(SandboxProvider sandboxes) : ICompletionScorer
{
    public string Kind => TaskKinds.Code;

    /// <exception cref="SandboxUnavailableException">The sandbox cannot be established here.</exception>
    public async ValueTask EnsureAvailableAsync(CancellationToken cancellationToken) => await sandboxes.GetAsync(cancellationToken);

    public async ValueTask<CompletionScore> ScoreAsync(
        int index, string completion, string reference, CancellationToken cancellationToken) =>
        (await ScoreWithTestsAsync(index, completion, reference, cancellationToken)).Score;

    /// <summary>The score with every test's verdict, for reports such as <c>pipeline verify</c>.</summary>
    /// <exception cref="ScoringInputException">The reference is not a valid code reference.</exception>
    /// <exception cref="SandboxUnavailableException">The sandbox cannot be established here.</exception>
    public async Task<CodeScoreResult> ScoreWithTestsAsync(
        int index, string completion, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(reference);
        CodeReference tests;
        try
        {
            tests = CodeReference.Parse(reference);
        }
        catch (FormatException e)
        {
            throw new ScoringInputException(e.Message, e);
        }
        var sandbox = await sandboxes.GetAsync(cancellationToken);
        return await new CodeScorer(sandbox).ScoreAsync(index, completion, tests, cancellationToken);
    }
}
