using System.Diagnostics;
using Pipeline.Benchmarks.Gemm;
using Pipeline.Contracts;
using Pipeline.Learner.Runs;
using Pipeline.Learner.Training;
using Pipeline.Policy;
using Pipeline.Policy.Checkpoints;
using Pipeline.Policy.Fp8;
using Pipeline.Policy.Model;
using Pipeline.Policy.Training;
using Pipeline.Tasks;
using static TorchSharp.torch;

namespace Pipeline.Benchmarks.Learner;

/// <summary>What <c>pipeline bench learner</c> measures and how much of it.</summary>
/// <param name="Prompts">prompts of the batch (Run:PromptsPerBatch)</param>
/// <param name="GroupSize">completions per prompt (Run:GroupSize)</param>
/// <param name="MaxTokens">the completion-token budget (Run:MaxTokens)</param>
/// <param name="Steps">timed steps of each precision, after one untimed warm-up step</param>
/// <param name="GemmSeconds">time spent on each GEMM shape</param>
/// <param name="SquareSide">the side of the large square GEMM</param>
public sealed record LearnerBenchmarkPlan(int Prompts, int GroupSize, int MaxTokens, int Steps, double GemmSeconds, int SquareSide, bool Quick)
{
    /// <summary>The demo's batch (the Run settings), or a few rows of a few tokens for the test suite.</summary>
    public static LearnerBenchmarkPlan For(bool quick, RunOptions run) => quick
        ? new(2, 4, Math.Min(run.MaxTokens, 16), 1, 0.02, 256, true)
        : new(run.PromptsPerBatch, run.GroupSize, run.MaxTokens, 5, 0.5, 2048, false);
}

/// <summary>
/// The learner against the machine's own limit, in one process: libtorch's GEMM peak measured here and now (FP32 at the
/// model's shapes and a large square; BF16 too where the CPU multiplies it natively), then the real GRPO step
/// (<see cref="GrpoTrainer.Step"/>, built as a run builds it by <see cref="RecordedTrainer"/>) on one fixed batch
/// (<see cref="LearnerBenchmarkBatch"/>) with FP32, FP8 and (where the CPU has BF16 units) BF16 mixed-precision linear
/// layers, each against its own GEMM peak, its model FLOPs counted from the batch
/// (<see cref="StepFlops"/>) and its time split by <see cref="StepPhases"/>.
/// </summary>
public static class LearnerBenchmark
{
    public static LearnerBenchmarkResult Run(LearnerBenchmarkPlan plan, RunSettings settings, PolicyOptions placement, string basePolicy,
        ITaskSource task, Func<Problem, Random, string> corpus, Action<string> log, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var machine = MachineDescription.Current();
        bool withReference = settings.Grpo.Beta > 0;

        IReadOnlyList<RolloutGroupScored> groups;
        TrainingBatch rows;
        PolicyConfig config;
        long parameters;
        using (var policy = placement.ForInference(Checkpoint.Load(basePolicy)))
        {
            config = policy.Config;
            parameters = policy.parameters().Sum(p => p.numel());
            groups = LearnerBenchmarkBatch.Build(policy, task, corpus, plan.Prompts, plan.GroupSize, plan.MaxTokens, settings.Run.Temperature, seed: 1);
            rows = TrainingBatch.Build(groups, settings.Grpo, plan.MaxTokens, policy.Prompts);
        }
        var (padded, real) = StepFlops.Of(config, rows.Prompts, rows.Completions, withReference, settings.Grpo.MicroBatchTokens);
        var shape = Shape(plan, rows, settings.Grpo.MicroBatchTokens);
        log($"batch: {shape.Sequences} sequences, {shape.PromptTokens + shape.CompletionTokens} real tokens in {shape.MicroBatches} micro-batch(es), {shape.PaddedTokens} positions; " +
            $"{real.Total / 1e9:F1} GFLOP per step ({padded.Total / 1e9:F1} with padding)");

        var shapes = GemmProbe.ModelShapes(config, (int)shape.LargestMicroBatchTokens, "step").Append(GemmProbe.Square(plan.SquareSide)).ToArray();
        log($"GEMM peak: {shapes.Length} shapes in FP32{(machine.HasBf16 ? " and BF16" : "")}");
        var fp32Peak = GemmProbe.Measure(shapes, float32, plan.GemmSeconds, cancellation);
        var bf16Peak = machine.HasBf16 ? GemmProbe.Measure(shapes, bfloat16, plan.GemmSeconds, cancellation) : null;

        var fp32Placement = new PolicyOptions { Device = placement.Device, ComputeDtype = "float32" };
        var fp32 = Train(LinearPrecision.Fp32, fp32Placement, fp32Peak.PeakGflops);
        var fp8 = Train(LinearPrecision.Fp8, fp32Placement, fp32Peak.PeakGflops);
        var bf16 = bf16Peak is null
            ? new LearnerPrecision(false, "this CPU has no BF16 units (avx512_bf16, amx_bf16): BF16 GEMMs would be emulated, so neither " +
                "its peak nor BF16 mixed-precision training was measured", null)
            : Train(LinearPrecision.Bf16, new PolicyOptions { Device = placement.Device, ComputeDtype = "bfloat16" }, bf16Peak.PeakGflops);

        return new LearnerBenchmarkResult(machine, fp32Peak.PeakGflops, fp32, bf16, fp8,
            new LearnerBenchmarkModel(config.NumHiddenLayers, config.HiddenSize, config.NumAttentionHeads, config.KeyValueHeads,
                config.IntermediateSize, config.VocabSize, parameters, ModelFlops.MatmulParameters(config)),
            shape,
            new LearnerFlops(real.PolicyForward, real.PolicyBackward, real.Reference, real.Total,
                padded.PolicyForward, padded.PolicyBackward, padded.Reference, padded.Total),
            [.. fp32Peak.Shapes, .. bf16Peak?.Shapes ?? []], plan.Quick, clock.Elapsed.TotalSeconds);

        LearnerPrecision Train(LinearPrecision precision, PolicyOptions where, double peak)
        {
            cancellation.ThrowIfCancellationRequested();
            var run = settings.Run.Clone();
            run.BasePolicy = basePolicy;
            run.MaxTokens = plan.MaxTokens;
            using var policy = Checkpoint.Load(basePolicy, null, precision);
            using var trainer = RecordedTrainer.New(policy, settings with { Run = run }, where);
            log($"{precision.ToString().ToUpperInvariant()} learner: 1 warm-up step, then {plan.Steps} timed");
            Updated(trainer.Step(groups));
            var steps = Enumerable.Range(0, plan.Steps).Select(_ =>
            {
                cancellation.ThrowIfCancellationRequested();
                return Updated(trainer.Step(groups));
            }).ToArray();
            double seconds = steps.Average(s => s.Seconds);
            var phases = steps.Select(s => s.Phases!).ToArray();
            var breakdown = new LearnerBreakdown(phases.Average(p => p.PolicyForward), phases.Average(p => p.PolicyBackward),
                phases.Average(p => p.Reference), phases.Average(p => p.Optimizer), phases.Average(p => p.Batch), 0);
            breakdown = breakdown with
            {
                Other = Math.Max(0, seconds - breakdown.PolicyForward - breakdown.PolicyBackward - breakdown.Reference - breakdown.Optimizer - breakdown.Batch),
            };
            double gflops = real.Total / seconds / 1e9, executed = padded.Total / seconds / 1e9;
            return new LearnerPrecision(true, null, peak, gflops, gflops / peak, executed, executed / peak, seconds, breakdown, plan.Steps,
                withReference ? GemmProbe.DtypeName(where.Dtype()) : null);
        }
    }

    static StepResult Updated(StepResult step) => step.Updated
        ? step
        : throw new InvalidOperationException("the benchmark's batch produced no update (dynamic sampling dropped every group)");

    /// <summary>The batch as the step lays it out: cut by <see cref="MicroBatches.Plan"/> at <c>Grpo:MicroBatchTokens</c>,
    /// each micro-batch padded to its own longest prompt and completion.</summary>
    static LearnerBenchmarkShape Shape(LearnerBenchmarkPlan plan, TrainingBatch rows, int microBatchTokens)
    {
        long promptTokens = rows.Prompts.Sum(p => (long)p.Length), completionTokens = rows.Completions.Sum(c => (long)c.Length);
        int[] promptLengths = rows.Prompts.Select(p => p.Length).ToArray(), completionLengths = rows.Completions.Select(c => c.Length).ToArray();
        var chunks = MicroBatches.Plan(promptLengths, completionLengths, microBatchTokens);
        var layouts = chunks.Select(chunk => (Rows: chunk.Length, Length: MicroBatches.Length(chunk, promptLengths, completionLengths))).ToArray();
        long paddedTokens = layouts.Sum(l => (long)l.Rows * l.Length);
        return new LearnerBenchmarkShape(plan.Prompts, plan.GroupSize, rows.Prompts.Count, promptTokens, completionTokens, layouts.Max(l => l.Length), paddedTokens,
            1 - (double)(promptTokens + completionTokens) / paddedTokens, chunks.Count, layouts.Max(l => (long)l.Rows * l.Length));
    }
}
