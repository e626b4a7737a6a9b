using System.Diagnostics;
using System.Text.RegularExpressions;
using Pipeline.Tests.Data;

namespace Pipeline.Tests.Unit.Policy.Native;

/// <summary>The MSBuild inline task that makes TorchSharp's native library loadable on Debian 12
/// (src/Policy/Native/ElfVersionPatcher.cs, compiled into this project). binutils' <c>readelf</c> is the
/// independent judge of what the patch did.</summary>
public sealed partial class ElfVersionPatcherTests
{
    const string Version = "GLIBCXX_3.4.32";

    [GeneratedRegex(@"Name: (\S+)\s+Flags: (\S+)\s+Version: (\d+)")]
    private static partial Regex VersionNeed();

    /// <summary>The unpatched library as the TorchSharp package ships it.</summary>
    static string PackagedLibrary()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        var path = Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"the packaged library is expected at {path}");
        return path;
    }

    /// <summary>Every version requirement (name, flags, version index) that <c>readelf -V</c> lists.</summary>
    static (string Name, string Flags, string Index)[] VersionNeeds(string library)
    {
        using var readelf = Process.Start(new ProcessStartInfo("readelf", ["-V", "--wide", library])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var output = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();
        Assert.Equal(0, readelf.ExitCode);
        return VersionNeed().Matches(output).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToArray();
    }

    [Fact]
    public void Patching_marks_only_that_requirement_weak_and_a_second_patch_changes_nothing()
    {
        using var temp = new TempDirectory();
        var original = File.ReadAllBytes(PackagedLibrary());
        var before = VersionNeeds(PackagedLibrary());
        Assert.Contains((Version, "none"), before.Select(n => (n.Name, n.Flags)));

        var patched = (byte[])original.Clone();
        int changed = MarkElfVersionWeak.Patch(patched, Version);
        var path = temp.File("libLibTorchSharp.so");
        File.WriteAllBytes(path, patched);
        var after = VersionNeeds(path);

        Assert.Equal(1, changed);
        Assert.Equal(1, original.Zip(patched).Count(pair => pair.First != pair.Second)); // one flags byte: 0 → 2
        Assert.Equal(before.Length, after.Length);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i].Name, after[i].Name);
            Assert.Equal(before[i].Index, after[i].Index);
            Assert.Equal(before[i].Name == Version ? "WEAK" : before[i].Flags, after[i].Flags);
        }

        var again = (byte[])patched.Clone();
        Assert.Equal(0, MarkElfVersionWeak.Patch(again, Version));
        Assert.Equal(patched, again);
    }

    [Fact]
    public void A_version_the_library_does_not_require_changes_nothing()
    {
        var original = File.ReadAllBytes(PackagedLibrary());
        var copy = (byte[])original.Clone();

        Assert.Equal(0, MarkElfVersionWeak.Patch(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(original, copy);
    }

    [Theory]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 1 })] // ELF32
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 2 })] // big-endian
    [InlineData(new byte[] { (byte)'#', (byte)'!', (byte)'/', (byte)'b', 2, 1 })]
    public void Anything_but_a_little_endian_elf64_file_is_rejected(byte[] header)
    {
        var file = new byte[128];
        header.CopyTo(file, 0);

        Assert.Throws<InvalidDataException>(() => MarkElfVersionWeak.Patch(file, Version));
    }

    [Fact]
    public void The_build_patched_the_output_copy_exactly_when_the_system_lacks_the_version()
    {
        var systemLibrary = new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64" }
            .Select(dir => Path.Combine(dir, "libstdc++.so.6"))
            .First(File.Exists);
        bool systemHasIt = File.ReadAllText(systemLibrary, System.Text.Encoding.Latin1).Contains(Version + "\0");

        var output = VersionNeeds(Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"));

        Assert.Contains((Version, systemHasIt ? "none" : "WEAK"), output.Select(n => (n.Name, n.Flags)));
    }
}
