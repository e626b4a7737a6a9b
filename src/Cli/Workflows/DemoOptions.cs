using System.ComponentModel.DataAnnotations;

namespace Pipeline.Cli.Workflows;

/// <summary>Settings of <c>pipeline demo</c> itself (configuration section "Demo").</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Samples per held-out problem for the before/after pass@k (the JSON field is <c>pass_at_K</c>). 8 for
    /// the arithmetic demo, whose base already solves most problems in 8 tries; Countdown's study uses 64, the
    /// budget at which its base policy must find a solution at least 30% of the time.</summary>
    [Range(1, 1024)]
    public int PassK { get; set; } = 8;
}
