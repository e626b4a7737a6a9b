using System.Diagnostics;
using Pipeline.Learner.Evaluation;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using Pipeline.Policy.Training;
using Pipeline.Tasks;
using static TorchSharp.torch;

namespace Pipeline.Benchmarks.Fp8;

/// <summary>The parity part of <c>pipeline bench fp8</c>: the same pretraining (seed, initial weights, batches) with
/// FP32 and with FP8 GEMMs, compared by training loss, by held-out loss with either forward precision, by held-out
/// greedy accuracy of the master weights, and by step time.</summary>
public static class Fp8BenchmarkParity
{
    const int Chunk = 64;

    public static async Task<Fp8Parity> RunAsync(Fp8BenchmarkPlan plan, Func<PretrainOptions> pretrainOptions, ITaskSource task,
        Func<Problem, Random, string> corpus, PolicyEvaluator evaluator, IReadOnlyList<Problem> heldOut, int maxTokens,
        string scratch, Action<string> log, CancellationToken cancellation)
    {
        var fp32 = await PretrainAsync(LinearPrecision.Fp32);
        var fp8 = await PretrainAsync(LinearPrecision.Fp8);
        int tail = Math.Max(1, plan.Steps / 10);
        var relative = fp8.Losses.Zip(fp32.Losses, (l8, l32) => (l8 - l32) / l32).TakeLast(tail).ToArray();

        var tokens = Checkpoint.ReadPromptTokens(fp32.Checkpoint);
        var heldOutSequences = HeldOutSequences(tokens, heldOut, corpus);
        double HeldOutLoss(string checkpoint, LinearPrecision forward)
        {
            using var policy = Checkpoint.Load(checkpoint, precision: forward);
            return MeanNll(policy, heldOutSequences.Prompts, heldOutSequences.Completions);
        }
        var losses = new Fp8HeldOutLosses(
            HeldOutLoss(fp32.Checkpoint, LinearPrecision.Fp32), HeldOutLoss(fp32.Checkpoint, LinearPrecision.Fp8),
            HeldOutLoss(fp8.Checkpoint, LinearPrecision.Fp32), HeldOutLoss(fp8.Checkpoint, LinearPrecision.Fp8));
        var (abFp32, abFp8) = InterleavedStepSeconds(Checkpoint.ReadConfig(fp32.Checkpoint), tokens, pretrainOptions(), task, corpus, plan.TimedSteps);
        log($"step time, interleaved: FP32 {abFp32:F2} s, FP8 {abFp8:F2} s");

        return new Fp8Parity(plan.Steps, relative.Average(), relative.Average(Math.Abs), fp32.Accuracy, fp8.Accuracy,
            abFp32, abFp8, fp32.StepSeconds, fp8.StepSeconds,
            fp32.Losses.TakeLast(tail).Average(), fp8.Losses.TakeLast(tail).Average(), losses, heldOut.Count,
            [.. fp32.Losses], [.. fp8.Losses], fp32.Checkpoint);

        async Task<(IReadOnlyList<double> Losses, double StepSeconds, double Accuracy, string Checkpoint)> PretrainAsync(LinearPrecision precision)
        {
            var options = pretrainOptions();
            options.Steps = plan.Steps;
            options.Precision = precision;
            var trainer = new Pretrainer(options);
            var started = Stopwatch.StartNew();
            var directory = Path.Combine(scratch, precision.ToString().ToLowerInvariant());
            using var policy = trainer.Train(task, corpus, p =>
            {
                if (p.Step % 50 == 0 || p.Step == p.Steps) log($"{precision}: step {p.Step}/{p.Steps}, loss {p.Loss:F4}");
            }, cancellation);
            double stepSeconds = started.Elapsed.TotalSeconds / plan.Steps;
            Checkpoint.Save(policy, directory);
            using var master = Checkpoint.Load(directory); // the master weights, FP32 inference for both runs
            double accuracy = (await evaluator.EvaluateAsync(master, heldOut, 0, maxTokens, cancellationToken: cancellation)).Accuracy;
            log($"{precision}: {stepSeconds:F2} s/step over the run, held-out accuracy {accuracy:P1}");
            return (trainer.Losses, stepSeconds, accuracy, directory);
        }
    }

    /// <summary>One corpus solution per held-out problem, drawn with a fixed seed.</summary>
    static (int[][] Prompts, int[][] Completions) HeldOutSequences(PromptTokens tokens, IReadOnlyList<Problem> problems, Func<Problem, Random, string> corpus)
    {
        var random = new Random(20240);
        return (problems.Select(p => tokens.ForQuestion(p.Question)).ToArray(),
            problems.Select(p => tokens.ForCompletion(corpus(p, random))).ToArray());
    }

    /// <summary>Mean next-token loss over all completion tokens.</summary>
    static double MeanNll(CausalLm policy, int[][] prompts, int[][] completions)
    {
        using var noGrad = no_grad();
        double sum = 0, tokens = 0;
        for (int start = 0; start < prompts.Length; start += Chunk)
        {
            using var scope = NewDisposeScope();
            using var layout = TokenLayout.Build(prompts[start..Math.Min(prompts.Length, start + Chunk)],
                completions[start..Math.Min(completions.Length, start + Chunk)], policy.Config.PadId);
            var logProbs = SequenceLogProbs.Compute(policy, layout);
            sum -= (logProbs * layout.CompletionMask).sum().item<float>();
            tokens += layout.CompletionMask.sum().item<float>();
        }
        return sum / tokens;
    }

    /// <summary>Median seconds of a pretraining step (forward, backward, clip, AdamW) of each precision on one batch,
    /// the two alternating so that load from elsewhere on the machine falls on both alike; the first round warms up.</summary>
    static (double Fp32, double Fp8) InterleavedStepSeconds(PolicyConfig shape, PromptTokens tokens, PretrainOptions options, ITaskSource task,
        Func<Problem, Random, string> corpus, int rounds)
    {
        var random = new Random(7);
        var problems = Enumerable.Range(0, options.BatchSize).Select(_ => task.NextTraining(random)).ToArray();
        using var layout = TokenLayout.Build(problems.Select(p => tokens.ForQuestion(p.Question)).ToArray(),
            problems.Select(p => tokens.ForCompletion(corpus(p, random))).ToArray(), shape.PadId);
        using var fp32 = new CausalLm(shape with { Precision = LinearPrecision.Fp32 }, tokens.Tokenizer);
        using var fp8 = new CausalLm(shape with { Precision = LinearPrecision.Fp8 }, tokens.Tokenizer);
        using var fp32Optimizer = optim.AdamW(fp32.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        using var fp8Optimizer = optim.AdamW(fp8.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var times = (Fp32: new List<double>(), Fp8: new List<double>());
        for (int round = 0; round <= rounds; round++)
        {
            double a = TimedStep(fp32, fp32Optimizer), b = TimedStep(fp8, fp8Optimizer);
            if (round == 0) continue;
            times.Fp32.Add(a);
            times.Fp8.Add(b);
        }
        return (Median(times.Fp32), Median(times.Fp8));

        double TimedStep(CausalLm policy, optim.Optimizer optimizer)
        {
            var clock = Stopwatch.StartNew();
            Pretrainer.TrainStep(policy, optimizer, layout, options.MaxGradNorm);
            return clock.Elapsed.TotalSeconds;
        }
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
