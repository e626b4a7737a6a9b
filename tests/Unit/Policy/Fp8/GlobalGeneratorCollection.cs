namespace Pipeline.Tests.Unit.Policy.Fp8;

/// <summary>Tests that seed libtorch's process-wide generator (<c>manual_seed</c>) and rely on what it draws next.
/// They run alone: a test running beside them would draw from the same generator in between.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "libtorch's global generator";
}
