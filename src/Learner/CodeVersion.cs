using System.Reflection;

namespace Pipeline.Learner;

/// <summary>The program's version as a run records it: the informational version the build stamps on the assembly,
/// which carries the git commit ("1.0.0+3f2a…") when built from a git checkout.</summary>
public static class CodeVersion
{
    public static string Current { get; } =
        typeof(CodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
