namespace Pipeline.Rewards.Code;

/// <summary>The Python of the assert harness, kept as real <c>.py</c> files (embedded in this assembly) so that it
/// reads, diffs and lints as Python rather than as C# strings.</summary>
static class HarnessScript
{
    public static string Read(string file)
    {
        var name = $"{typeof(HarnessScript).Namespace}.Harness.{file}";
        using var stream = typeof(HarnessScript).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the harness script {name} is not embedded in {typeof(HarnessScript).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
