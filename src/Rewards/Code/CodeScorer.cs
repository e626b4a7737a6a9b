using System.Text;
using Pipeline.Contracts;
using Pipeline.Sandboxing;
using Pipeline.Tasks;
using Pipeline.Tasks.Code;

namespace Pipeline.Rewards.Code;

/// <summary>Scores a completion of a code task (DeepSeek-R1's second verifiable domain): the program is the last
/// fenced code block in the last answer; it runs in the <see cref="Sandbox"/> once per stdin test — all of them in
/// one sandbox (see <see cref="StdinBatch"/>), or each in its own, as <see cref="SandboxOptions.StdinTestsPerSandbox"/>
/// says —, and once for all of the assert-style test code (see <see cref="AssertHarness"/>). Reward 1 only when every
/// test is accepted; anything else, including any failure of the sandbox itself, is 0. Sandboxed runs go concurrently,
/// bounded by the sandbox's <see cref="SandboxOptions.MaxParallelRuns"/>.</summary>
public sealed class CodeScorer(Sandbox sandbox, StdinTestsPerSandbox stdinTestsPerSandbox)
{
    public CodeScorer(Sandbox sandbox) : this(sandbox, sandbox.Options.StdinTestsPerSandbox)
    {
    }

    /// <summary>Scores against a reference in its stored JSON form; a malformed reference throws
    /// <see cref="FormatException"/> (it is the task's fault, not the completion's).</summary>
    public Task<CodeScoreResult> ScoreAsync(
        int index, string completion, string reference, CancellationToken cancellationToken = default) =>
        ScoreAsync(index, completion, CodeReference.Parse(reference), cancellationToken);

    public async Task<CodeScoreResult> ScoreAsync(
        int index, string completion, CodeReference reference, CancellationToken cancellationToken = default)
    {
        var extraction = CodeExtractor.Extract(completion);
        if (extraction.Program is not { } program)
        {
            return Result(index, CodeVerdict.BadFormat, formatOk: false, [], extraction.Failure);
        }

        var runs = stdinTestsPerSandbox == StdinTestsPerSandbox.One || reference.Tests.Count == 0
            ? reference.Tests.Select(test => RunStdinTestAsync(program, test, cancellationToken)).ToList()
            : [RunStdinTestsAsync(program, reference.Tests, stdinTestsPerSandbox == StdinTestsPerSandbox.Session, cancellationToken)];
        if (!string.IsNullOrWhiteSpace(reference.TestCode))
        {
            runs.Add(RunTestCodeAsync(program, reference.TestCode, cancellationToken));
        }
        var tests = (await Task.WhenAll(runs)).SelectMany(r => r).ToList();
        return Result(index, Overall(tests), formatOk: true, tests, null);
    }

    /// <summary>Accepted only if every test is; a sandbox error anywhere wins (the run proved nothing); otherwise
    /// the first failing test's verdict.</summary>
    public static CodeVerdict Overall(IReadOnlyList<CodeTestResult> tests) =>
        tests.Count == 0 ? CodeVerdict.SandboxError
        : tests.All(t => t.Verdict == CodeVerdict.Accepted) ? CodeVerdict.Accepted
        : tests.Any(t => t.Verdict == CodeVerdict.SandboxError) ? CodeVerdict.SandboxError
        : tests.First(t => t.Verdict != CodeVerdict.Accepted).Verdict;

    async Task<IReadOnlyList<CodeTestResult>> RunStdinTestAsync(
        string program, CodeTestCase test, CancellationToken cancellationToken)
    {
        var run = await sandbox.RunPythonAsync(["-c", program], Encoding.UTF8.GetBytes(test.Input), cancellationToken);
        return [Judge(RunEnding.Abnormal(run), run, test)];
    }

    async Task<IReadOnlyList<CodeTestResult>> RunStdinTestsAsync(
        string program, IReadOnlyList<CodeTestCase> tests, bool inSession, CancellationToken cancellationToken)
    {
        var nonce = AssertHarness.NewNonce();
        var options = sandbox.Options;
        var request = StdinBatch.Request(
            nonce, program, tests, options.WallSeconds, options.MaxOutputBytes, sandbox.OomControlPath);
        if (!inSession)
        {
            var run = await sandbox.RunBatchAsync(["-c", StdinBatch.Source], request, tests.Count, cancellationToken);
            return StdinBatch.Interpret(run, nonce, tests);
        }
        var session = await sandbox.RunInSessionAsync(StdinBatch.SessionArguments, [request], tests.Count, cancellationToken);
        return StdinBatch.Interpret(session.Run, nonce, tests, session.JudgeSignal);
    }

    /// <summary>A stdin test's verdict: how its program ended, and then whether it printed the expected output.</summary>
    internal static CodeTestResult Judge((CodeVerdict Verdict, string Detail)? ending, SandboxResult run, CodeTestCase test) =>
        ending is { } abnormal ? new CodeTestResult(abnormal.Verdict, abnormal.Detail)
        : OutputComparer.Matches(run.StdoutText, test.Output) ? new CodeTestResult(CodeVerdict.Accepted)
        : new CodeTestResult(CodeVerdict.WrongAnswer, "output differs from the expected output");

    async Task<IReadOnlyList<CodeTestResult>> RunTestCodeAsync(
        string program, string testCode, CancellationToken cancellationToken)
    {
        var nonce = AssertHarness.NewNonce();
        if (stdinTestsPerSandbox == StdinTestsPerSandbox.Session)
        {
            var session = await sandbox.RunInSessionAsync(
                AssertHarness.SessionArguments, AssertHarness.SessionFrames(nonce, program, testCode), programs: 1,
                cancellationToken);
            return AssertHarness.Interpret(session.Run, nonce);
        }
        var run = await sandbox.RunPythonAsync(
            ["-c", AssertHarness.Source], AssertHarness.Request(nonce, program, testCode), cancellationToken);
        return AssertHarness.Interpret(run, nonce);
    }

    static CodeScoreResult Result(
        int index, CodeVerdict verdict, bool formatOk, IReadOnlyList<CodeTestResult> tests, string? detail)
    {
        var passed = verdict == CodeVerdict.Accepted && formatOk;
        var score = new CompletionScore
        {
            Index = index,
            Reward = passed ? 1 : 0,
            Components = new Dictionary<string, double>
            {
                [RewardComponents.Accuracy] = passed ? 1 : 0,
                [RewardComponents.Format] = formatOk ? 1 : 0,
            },
            Verdict = verdict.ToWire(),
        };
        return new CodeScoreResult(score, tests, detail);
    }
}
