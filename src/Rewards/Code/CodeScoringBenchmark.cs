using System.Diagnostics;
using Pipeline.Sandboxing;
using Pipeline.Tasks.Code;
using static Pipeline.Tasks.TemplateTags;

namespace Pipeline.Rewards.Code;

/// <summary>Completions scored per second through <see cref="CodeScorer"/> each way the stdin tests can run: each in a
/// sandbox of its own (<see cref="StdinTestsPerSandbox.One"/>, how the verifier began), all of a completion's in one
/// (<see cref="StdinTestsPerSandbox.All"/>), and in a long-lived session (<see cref="StdinTestsPerSandbox.Session"/>),
/// with <see cref="SandboxOptions.MaxParallelRuns"/> completions at once.</summary>
public sealed record CodeScoringBenchmarkResult(
    int Completions,
    int Parallelism,
    double StdinTestsPerCompletion,
    double OnePerTestCompletionsPerSecond,
    double OnePerCompletionCompletionsPerSecond,
    double SessionCompletionsPerSecond)
{
    /// <summary>Time per completion with a sandbox per stdin test ÷ time with one sandbox for all of them.</summary>
    public double Speedup => OnePerCompletionCompletionsPerSecond / OnePerTestCompletionsPerSecond;

    /// <summary>Time per completion with a sandbox per stdin test ÷ time in a session.</summary>
    public double SessionSpeedup => SessionCompletionsPerSecond / OnePerTestCompletionsPerSecond;
}

/// <summary>The completions are the built-in code problems' reference solutions (<see cref="CodeProblems"/>), in
/// turn, so every one is accepted and runs every test; the assert-style problems cost the same every way.</summary>
public static class CodeScoringBenchmark
{
    const int Rounds = 4;

    /// <summary>Scores <paramref name="completions"/> completions each way after a short warm-up, in interleaved
    /// rounds. Throws if any completion is not accepted: a benchmark of failing runs would measure nothing.</summary>
    public static async Task<CodeScoringBenchmarkResult> RunAsync(
        Sandbox sandbox, int completions = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(completions, 1);
        var samples = CodeProblems.All
            .Select(p => (Completion: $"{ThinkOpen}Reference solution.{ThinkClose}\n{AnswerOpen}\n```python\n{p.Solution}```\n{AnswerClose}", p.Reference))
            .ToList();
        var parallelism = sandbox.Options.MaxParallelRuns;
        StdinTestsPerSandbox[] modes = [StdinTestsPerSandbox.One, StdinTestsPerSandbox.All, StdinTestsPerSandbox.Session];
        var scorers = modes.Select(mode => new CodeScorer(sandbox, mode)).ToArray();

        Func<int, Task> With(CodeScorer scorer) => async i =>
        {
            var (completion, reference) = samples[i % samples.Count];
            var result = await scorer.ScoreAsync(i, completion, reference, cancellationToken);
            if (result.Verdict != CodeVerdict.Accepted)
            {
                throw new InvalidOperationException(
                    $"A benchmark completion was not accepted ({result.Verdict}): " +
                    string.Join("; ", result.Tests.Select(t => $"{t.Verdict} {t.Detail}")));
            }
        };

        // The warm-up also starts the sessions, which then serve every round (their start is not timed).
        foreach (var scorer in scorers)
        {
            await Measure(samples.Count, parallelism, With(scorer));
        }

        // Interleaved rounds, the order rotated every round, so a drift in the machine's load (it is shared) falls on
        // every way alike instead of on whichever ran last.
        var rounds = System.Math.Min(Rounds, completions);
        var elapsed = new TimeSpan[modes.Length];
        for (var round = 0; round < rounds; round++)
        {
            var share = completions / rounds + (round < completions % rounds ? 1 : 0);
            for (var k = 0; k < modes.Length; k++)
            {
                var way = (round + k) % modes.Length;
                elapsed[way] += await Measure(share, parallelism, With(scorers[way]));
            }
        }
        var stdinTests = samples.Average(s => (double)CodeReference.Parse(s.Reference).Tests.Count);
        return new CodeScoringBenchmarkResult(
            completions, parallelism, stdinTests, completions / elapsed[0].TotalSeconds,
            completions / elapsed[1].TotalSeconds, completions / elapsed[2].TotalSeconds);
    }

    static async Task<TimeSpan> Measure(int count, int parallelism, Func<int, Task> score)
    {
        var next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await score(i);
            }
        }
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, System.Math.Min(parallelism, count)).Select(_ => Worker()));
        return clock.Elapsed;
    }
}
