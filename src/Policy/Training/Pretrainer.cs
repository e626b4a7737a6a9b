using System.Diagnostics;
using Pipeline.Policy.Model;
using Pipeline.Policy.Tokenization;
using Pipeline.Tasks;
using static TorchSharp.torch;

namespace Pipeline.Policy.Training;

/// <summary>Progress of pretraining, reported every few steps.</summary>
public sealed record PretrainProgress(int Step, int Steps, double Loss, double LearningRate, double TokensPerSecond);

/// <summary>Trains a base policy from scratch with a next-token loss on completions drawn from a corpus (prompt
/// tokens are context, not targets). AdamW with linear warm-up and cosine decay.</summary>
public sealed class Pretrainer(PretrainOptions options)
{
    readonly List<double> _losses = [];

    /// <summary>The loss of every step of the last <see cref="Train"/>, in order.</summary>
    public IReadOnlyList<double> Losses => _losses;

    public CausalLm Train(ITaskSource task, Func<Problem, Random, string> corpus, Action<PretrainProgress>? progress = null, CancellationToken cancellation = default)
    {
        manual_seed(options.Seed);
        var random = new Random((int)options.Seed);
        var policy = new CausalLm(options.ModelConfig(), options.Tokenizer());
        using var optimizer = optim.AdamW(policy.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        _losses.Clear();
        for (int step = 1; step <= options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            double lr = LearningRateAt(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var problems = Enumerable.Range(0, options.BatchSize).Select(_ => task.NextTraining(random)).ToArray();
            var prompts = problems.Select(p => policy.Prompts.ForQuestion(p.Question)).ToArray();
            var completions = problems.Select(p => policy.Prompts.ForCompletion(corpus(p, random))).ToArray();
            double loss = Step(policy, optimizer, prompts, completions);
            _losses.Add(loss);
            tokens += prompts.Sum(p => p.Length) + completions.Sum(c => c.Length);
            if (progress is not null && (step % 10 == 0 || step == options.Steps))
                progress(new PretrainProgress(step, options.Steps, loss, lr, tokens / clock.Elapsed.TotalSeconds));
        }
        return policy;
    }

    double Step(CausalLm policy, optim.Optimizer optimizer, int[][] prompts, int[][] completions)
    {
        var chunks = MicroBatches.Plan(prompts.Select(p => p.Length).ToArray(), completions.Select(c => c.Length).ToArray(), options.MicroBatchTokens);
        if (chunks.Count == 1)
        {
            using var layout = TokenLayout.Build(prompts, completions, policy.Config.PadId, policy.Device);
            return TrainStep(policy, optimizer, layout, options.MaxGradNorm);
        }
        // Long traces of mixed lengths: rows of similar length padded together, gradients summed over the chunks, and
        // the loss divided by the whole batch's completion tokens, so the step is the one-layout step's.
        optimizer.zero_grad();
        double total = completions.Sum(c => c.Length), loss = 0;
        foreach (var rows in chunks)
        {
            using var scope = NewDisposeScope();
            using var layout = TokenLayout.Build(rows.Select(r => prompts[r]).ToArray(), rows.Select(r => completions[r]).ToArray(), policy.Config.PadId, policy.Device);
            var part = NegatedLogLikelihood(policy, layout) / total;
            part.backward();
            loss += part.item<float>();
        }
        GradientUpdate.Apply(policy, optimizer, options.MaxGradNorm);
        return loss;
    }

    /// <summary>One pretraining step on a built batch: next-token loss on the completion tokens, backward, gradient
    /// clipping, optimizer step. Returns the loss.</summary>
    public static double TrainStep(CausalLm policy, optim.Optimizer optimizer, TokenLayout layout, double maxGradNorm)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = NegatedLogLikelihood(policy, layout) / layout.CompletionMask.sum();
        loss.backward();
        GradientUpdate.Apply(policy, optimizer, maxGradNorm);
        return loss.item<float>();
    }

    /// <summary>−Σ log p of the layout's completion tokens (the next-token loss before it is divided by a token count).</summary>
    static Tensor NegatedLogLikelihood(CausalLm policy, TokenLayout layout) =>
        -(SequenceLogProbs.Compute(policy, layout) * layout.CompletionMask).sum();

    public double LearningRateAt(int step)
    {
        if (step <= options.WarmupSteps) return options.LearningRate * step / Math.Max(1, options.WarmupSteps);
        double progress = (double)(step - options.WarmupSteps) / Math.Max(1, options.Steps - options.WarmupSteps);
        double floor = 0.1 * options.LearningRate;
        return floor + (options.LearningRate - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
