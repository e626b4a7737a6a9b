using System.ComponentModel.DataAnnotations;
using Pipeline.Policy.Checkpoints;

namespace Pipeline.Learner.Runs;

/// <summary>The shape of a training run (configuration section "Run"). Defaults are the stable ones measured on a
/// 2-core CPU: 16 prompts × 8 completions per step (smaller batches made RL unstable), learning rate in
/// <c>Grpo</c>.</summary>
public sealed class RunOptions
{
    public const string Section = "Run";

    [Required, MinLength(1)] public string Name { get; set; } = "arithmetic";

    /// <summary>Prompt batches to train on; each normally yields one policy version.</summary>
    [Range(1, 1_000_000)] public int Steps { get; set; } = 20;

    [Range(1, 4096)] public int PromptsPerBatch { get; set; } = 16;

    /// <summary>G, completions per prompt (DeepSeekMath used 64; 8 keeps a CPU step short).</summary>
    [Range(1, 1024)] public int GroupSize { get; set; } = 8;

    [Range(0.0, 10.0)] public float Temperature { get; set; } = 1.0f;
    [Range(0.01, 1.0)] public float TopP { get; set; } = 1.0f;
    [Range(1, 8192)] public int MaxTokens { get; set; } = 64;
    public long Seed { get; set; } = 1;

    /// <summary>Texts that end a completion (e.g. "&lt;/answer&gt;"); none by default — EOS ends one, so a policy
    /// that chatters after its answer is seen doing so and loses the format reward.</summary>
    public string[] Stop { get; set; } = [];

    /// <summary>How many policy versions a batch may lag behind the learner and still be trained on; also how
    /// many batches beyond the current one are kept in flight (0 = strictly on-policy, one batch at a time).</summary>
    [Range(0, 64)] public int MaxOffPolicySteps { get; set; } = 1;

    /// <summary>Evaluate every this many policy versions on the held-out split (a background job); 0 = never.</summary>
    [Range(0, 1_000_000)] public int EvaluateEvery { get; set; } = 5;

    /// <summary>k of pass@k in the periodic evaluations; 0 = greedy accuracy only (cheaper).</summary>
    [Range(0, 1024)] public int EvaluationK { get; set; }

    /// <summary>The base policy checkpoint directory the run starts from.</summary>
    [Required] public string BasePolicy { get; set; } = ".pipeline/base";

    /// <summary>Where the run's policy versions are written; in a multi-machine setup, a shared volume.</summary>
    [Required] public string CheckpointDirectory { get; set; } = ".pipeline/checkpoints";

    /// <summary>How published policy versions are written: <c>fp32</c>, or <c>fp8</c> (E4M3 with 128×128 block scales,
    /// about a quarter of the bytes; workers load it dequantised).</summary>
    [EnumDataType(typeof(CheckpointFormat))] public CheckpointFormat CheckpointFormat { get; set; } = CheckpointFormat.Fp32;

    /// <summary>The built-in task to train on: <c>arithmetic</c> (section "Task") or <c>countdown</c> (section
    /// "Countdown"). A <see cref="Dataset"/> takes precedence over either.</summary>
    [Required, RegularExpression("^(arithmetic|countdown)$", ErrorMessage = "Run:Task must be 'arithmetic' or 'countdown'")]
    public string Task { get; set; } = TaskSources.Arithmetic;

    /// <summary>A JSONL file of the user's own problems; empty = the built-in task named by <see cref="Task"/>.</summary>
    public string? Dataset { get; set; }

    /// <summary>The same settings with the policy and checkpoint paths made absolute against this process's
    /// directory — what a run sent to a learner elsewhere on this machine must carry.</summary>
    public RunOptions WithAbsolutePaths()
    {
        var copy = (RunOptions)MemberwiseClone();
        copy.BasePolicy = Path.GetFullPath(BasePolicy);
        copy.CheckpointDirectory = Path.GetFullPath(CheckpointDirectory);
        if (!string.IsNullOrWhiteSpace(Dataset)) copy.Dataset = Path.GetFullPath(Dataset);
        return copy;
    }

    /// <summary>A copy to bind overrides onto, leaving this one as it is.</summary>
    public RunOptions Clone() => (RunOptions)MemberwiseClone();
}
