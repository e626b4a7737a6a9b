using System.ComponentModel.DataAnnotations;

namespace Pipeline.Rollout;

/// <summary>Settings of a rollout worker (configuration section "Rollout").</summary>
public sealed class RolloutOptions
{
    public const string Section = "Rollout";

    /// <summary>Policy versions kept in memory; the learner never asks for one older than its staleness bound.</summary>
    [Range(1, 64)] public int CachedVersions { get; set; } = 3;

    /// <summary>Intra-op threads for TorchSharp; 0 leaves libtorch's default (one per core).</summary>
    [Range(0, 1024)] public int TorchThreads { get; set; }
}
