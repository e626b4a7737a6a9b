// Marks one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK).
//
// Why this exists: TorchSharp 0.107.0's libLibTorchSharp.so asks libstdc++ for GLIBCXX_3.4.32 for a single
// marker symbol (std::ios_base_library_init) that is never called. Debian 12's libstdc++ stops at 3.4.30, so
// the dynamic loader refuses the library and TorchSharp reports a misleading "doesn't contain a reference to
// libtorch-cpu-linux-x64" error. A weak version requirement is one the loader may leave unsatisfied, which is
// exactly right for a symbol nobody calls. No packaged tool edits .gnu.version_r flags (patchelf cannot), so
// this is written by hand; it is compiled by MSBuild's RoslynCodeTaskFactory and runs on every build.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class MarkElfVersionWeak : Microsoft.Build.Utilities.Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required] public string Library { get; set; } = "";
    [Required] public string Version { get; set; } = "";
    /// <summary>The system library that may or may not define <see cref="Version"/>; when it does, nothing is patched.</summary>
    [Required] public string SystemLibraryName { get; set; } = "";

    public override bool Execute()
    {
        if (!File.Exists(Library)) return true;
        if (SystemDefines(SystemLibraryName, Version)) return true;
        var bytes = File.ReadAllBytes(Library);
        var changed = Patch(bytes, Version);
        if (changed == 0) return true;
        File.WriteAllBytes(Library, bytes);
        Log.LogMessage(MessageImportance.High, $"{Path.GetFileName(Library)}: marked {Version} weak ({changed} requirement(s)); the system's {SystemLibraryName} lacks it.");
        return true;
    }

    static readonly string[] LibraryDirectories =
    {
        "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
        "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
    };

    static bool SystemDefines(string libraryName, string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var dir in LibraryDirectories)
        {
            var path = Path.Combine(dir, libraryName);
            if (File.Exists(path)) return IndexOf(File.ReadAllBytes(path), needle) >= 0;
        }
        return false;
    }

    /// <summary>Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="version"/>; returns how many changed.</summary>
    public static int Patch(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a little-endian ELF64 file");
        long shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)U64(elf, sh + 0x18);
            uint link = U32(elf, sh + 0x28);
            long strtab = (long)U64(elf, shoff + link * shentsize + 0x18);
            long vn = offset;
            while (true)
            {
                int count = U16(elf, vn + 2);
                long aux = vn + U32(elf, vn + 8);
                for (int k = 0; k < count; k++)
                {
                    var name = CString(elf, strtab + U32(elf, aux + 8));
                    int flags = U16(elf, aux + 4);
                    if (name == version && (flags & VerFlgWeak) == 0)
                    {
                        flags |= VerFlgWeak;
                        elf[aux + 4] = (byte)flags;
                        elf[aux + 5] = (byte)(flags >> 8);
                        changed++;
                    }
                    aux += U32(elf, aux + 12);
                }
                uint next = U32(elf, vn + 12);
                if (next == 0) break;
                vn += next;
            }
        }
        return changed;
    }

    static ushort U16(byte[] b, long o) => (ushort)(b[o] | b[o + 1] << 8);
    static uint U32(byte[] b, long o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
    static ulong U64(byte[] b, long o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;

    static string CString(byte[] b, long o)
    {
        long end = o;
        while (b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}
