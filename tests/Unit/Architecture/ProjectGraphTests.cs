using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Pipeline.Tests.Unit.Architecture;

/// <summary>The project graph stated in docs/architecture.md is the one the .csproj files build, and it keeps its
/// rules: arrows point only down the layers, TorchSharp only in Policy, EF Core only in Data, and the service
/// executables carry only what they use (checked on their build output's dependency closure).</summary>
public sealed partial class ProjectGraphTests
{
    /// <summary>Each project's layer; a reference must point to a strictly lower layer.</summary>
    static readonly Dictionary<string, int> Layers = new()
    {
        ["Contracts"] = 0,
        ["Tasks"] = 0,
        ["Sandbox"] = 0,
        ["Rewards"] = 1,
        ["Policy"] = 1,
        ["Data"] = 1,
        ["Hosting"] = 1,
        ["Dashboard"] = 2,
        ["Verifier"] = 3,
        ["Rollout"] = 3,
        ["Learner"] = 3,
        ["Orchestration"] = 4,
        ["Benchmarks"] = 5,
        ["Cli"] = 6,
    };

    static readonly string Root = FindRoot();

    [Fact]
    public void The_documented_graph_is_the_graph_the_project_files_build()
    {
        var documented = DocumentedGraph();
        var built = BuiltGraph();
        Assert.Equal(built.Keys.Order(), documented.Keys.Order());
        foreach (var (project, references) in built)
            Assert.True(references.SetEquals(documented[project]),
                $"{project}: the .csproj references [{string.Join(", ", references.Order())}], docs/architecture.md says [{string.Join(", ", documented[project].Order())}]");
    }

    [Fact]
    public void Every_reference_points_to_a_lower_layer()
    {
        foreach (var (project, references) in BuiltGraph())
        {
            Assert.True(Layers.ContainsKey(project), $"src/{project} has no layer in this test: give it one (and a line in docs/architecture.md)");
            foreach (var reference in references)
                Assert.True(Layers[reference] < Layers[project], $"{project} -> {reference} points sideways or up");
        }
    }

    [Theory]
    [InlineData("TorchSharp", "Policy")]
    [InlineData("libtorch-cpu-linux-x64", "Policy")]
    [InlineData("Microsoft.EntityFrameworkCore", "Data")]
    [InlineData("Npgsql.EntityFrameworkCore.PostgreSQL", "Data")]
    [InlineData("Parquet.Net", "Orchestration")]
    public void A_heavy_package_is_referenced_by_one_project_only(string package, string owner)
    {
        var users = Projects().Where(p => PackageReferences(p.Path).Contains(package)).Select(p => p.Name).ToArray();
        Assert.Equal([owner], users);
    }

    [Theory]
    [InlineData("Verifier", "TorchSharp")]
    [InlineData("Verifier", "libtorch")]
    [InlineData("Verifier", "Microsoft.EntityFrameworkCore")]
    [InlineData("Verifier", "Npgsql")]
    [InlineData("Verifier", "Pipeline.Policy")]
    [InlineData("Verifier", "Pipeline.Data")]
    [InlineData("Rollout", "Microsoft.EntityFrameworkCore")]
    [InlineData("Rollout", "Npgsql")]
    [InlineData("Rollout", "Pipeline.Data")]
    [InlineData("Hosting", "TorchSharp")]
    [InlineData("Hosting", "Microsoft.EntityFrameworkCore")]
    [InlineData("Learner", "Parquet")]
    public void A_service_does_not_carry_what_it_never_uses(string project, string library)
    {
        var carried = DependencyClosure(project);
        Assert.DoesNotContain(carried, name => name.StartsWith(library, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_closure_check_sees_what_a_service_does_carry()
    {
        // Guards the test above against reading an empty or wrong file.
        Assert.Contains(DependencyClosure("Rollout"), name => name.StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.Contains(DependencyClosure("Learner"), name => name.StartsWith("Npgsql", StringComparison.Ordinal));
        Assert.Contains(DependencyClosure("Verifier"), name => name.StartsWith("MassTransit", StringComparison.Ordinal));
    }

    static Dictionary<string, HashSet<string>> BuiltGraph() =>
        Projects().ToDictionary(p => p.Name, p => XDocument.Load(p.Path).Descendants("ProjectReference")
            .Select(r => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(p.Path)!, (string)r.Attribute("Include")!)))!))
            .ToHashSet());

    static Dictionary<string, HashSet<string>> DocumentedGraph()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "architecture.md"));
        var block = GraphBlock().Match(text);
        Assert.True(block.Success, "docs/architecture.md has no ```project-graph block");
        return block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split("->", 2))
            .ToDictionary(parts => parts[0].Trim(),
                parts => parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet());
    }

    static HashSet<string> PackageReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("PackageReference").Select(r => (string)r.Attribute("Include")!).ToHashSet();

    /// <summary>Every library in the service's build output (its .deps.json): what its publish would carry.</summary>
    static IReadOnlyList<string> DependencyClosure(string project)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var deps = Path.Combine(Root, "src", project, "bin", configuration, "net10.0", $"Pipeline.{project}.deps.json");
        Assert.True(File.Exists(deps), $"{deps} is missing: build the solution first");
        using var json = JsonDocument.Parse(File.ReadAllText(deps));
        return json.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToArray();
    }

    static IEnumerable<(string Name, string Path)> Projects() =>
        Directory.GetDirectories(Path.Combine(Root, "src"))
            .Select(d => (Name: Path.GetFileName(d), Path: Path.Combine(d, $"Pipeline.{Path.GetFileName(d)}.csproj")))
            .Where(p => File.Exists(p.Path));

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("no Pipeline.sln above the test assembly");
    }

    [GeneratedRegex(@"```project-graph\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex GraphBlock();
}
