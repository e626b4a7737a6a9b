namespace Pipeline.Dashboard.Charts;

/// <summary>The order and titles in which a run's metrics are charted: the curves RL users read first (reward,
/// accuracy, format, held-out accuracy, length and self-verification, KL, entropy, clipping, lengths, throughput, step-time breakdown), then any
/// other stored metric by name.</summary>
public static class MetricCatalog
{
    static readonly (string Name, string Title)[] Known =
    [
        ("reward", "reward (mean)"),
        ("reward_std", "reward std"),
        ("accuracy", "accuracy (training samples)"),
        ("format", "format rate (training samples)"),
        ("eval/accuracy", "held-out accuracy (by version)"),
        ("eval/format_rate", "held-out format rate (by version)"),
        ("eval/mean_completion_tokens", "held-out completion length, greedy (by version)"),
        ("eval/self_verification_rate", "held-out self-verification, Countdown (by version)"),
        ("frac_reward_zero_std", "groups with zero reward std"),
        ("kl", "KL to reference"),
        ("entropy", "entropy (nats/token)"),
        ("loss", "loss"),
        ("clip_ratio/region_mean", "clipped tokens (region)"),
        ("clip_ratio/low_mean", "clipped tokens (low)"),
        ("clip_ratio/high_mean", "clipped tokens (high)"),
        ("grad_norm", "gradient norm"),
        ("completions/mean_length", "completion length (mean)"),
        ("completions/min_length", "completion length (min)"),
        ("completions/max_length", "completion length (max)"),
        ("completions/clipped_ratio", "completions cut at the budget"),
        ("perf/throughput", "sampling throughput (tokens/s)"),
        ("timing_s/generate", "time: generate (s)"),
        ("timing_s/score", "time: score (s)"),
        ("timing_s/learn", "time: learn (s)"),
        ("timing_s/publish", "time: publish (s)"),
        ("staleness", "staleness (versions)"),
        ("sampling/sampling_logp_difference/mean", "|log π − log π_rollout| (mean)"),
        ("sampling/importance_sampling_ratio/max", "importance ratio (max)"),
    ];

    static readonly Dictionary<string, int> Rank = Known.Select((k, i) => (k.Name, i)).ToDictionary(k => k.Name, k => k.i);

    /// <summary>The names in chart order: the known ones first, in their order, then the rest alphabetically.</summary>
    public static IReadOnlyList<string> Order(IEnumerable<string> names) =>
        names.Distinct().OrderBy(n => Rank.GetValueOrDefault(n, int.MaxValue)).ThenBy(n => n, StringComparer.Ordinal).ToList();

    public static string Title(string name) => Known.FirstOrDefault(k => k.Name == name).Title ?? name;

    /// <summary>Colours of the lines of up to eight runs (Okabe–Ito, readable by colour-blind readers).</summary>
    public static readonly string[] Colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
}
