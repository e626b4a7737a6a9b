using System.ComponentModel.DataAnnotations;

namespace Pipeline.Learner;

/// <summary>Settings of the learner service (section "Learner"). A run's settings arrive over the bus from anyone
/// with broker credentials, and the learner reads and writes the paths they name: where a root is set, every such
/// path must lie under it (after "..", not after symbolic links) or the run is refused with the reason. Unset, a path
/// may be anywhere the learner's user can reach — set all three on a shared broker (compose does).</summary>
public sealed class LearnerOptions
{
    public const string Section = "Learner";

    /// <summary>libtorch threads; 0 = one per core.</summary>
    [Range(0, 1024)] public int TorchThreads { get; set; }

    /// <summary>How long a learner's hold on a run lasts without renewal, in seconds. The holder renews it every quarter
    /// of that; a standby learner takes a run over once its lease has run out, so this is also about how long a run
    /// waits after its learner dies. A training step must take well under it (the lease is renewed before each step).</summary>
    [Range(2, 3600)] public double LeaseSeconds { get; set; } = 20;

    /// <summary>The largest message a run may need, in bytes: a scored group carries every completion's text, token ids
    /// and log-probs, so <c>Run:GroupSize</c> × <c>Run:MaxTokens</c> is bounded by it (estimated at 24 bytes per token,
    /// base64 and JSON included). 16 MiB is RabbitMQ 4's default <c>max_message_size</c>; raise both together.</summary>
    [Range(65_536, 512L * 1024 * 1024)] public long MaxMessageBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Where base policies (Run:BasePolicy) may be read from.</summary>
    public string? PolicyRoot { get; set; }

    /// <summary>Where runs may write their policy versions (Run:CheckpointDirectory).</summary>
    public string? CheckpointRoot { get; set; }

    /// <summary>Where JSONL datasets (Run:Dataset) may be read from.</summary>
    public string? DatasetRoot { get; set; }
}
