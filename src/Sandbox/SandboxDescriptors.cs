using System.Runtime.InteropServices;

namespace Pipeline.Sandboxing;

/// <summary>Keeps the verifier's own open files out of the sandbox. .NET opens its files close-on-exec, but
/// descriptors the verifier inherited from whatever started it (a pipe to a supervisor, a log file) are not, and
/// Process.Start, sh, setpriv and bwrap all pass them on: the program would get a writable channel out of
/// the sandbox. Before each start every descriptor above stderr is therefore marked close-on-exec (the verifier
/// itself keeps using them).</summary>
static class SandboxDescriptors
{
    const int GetFlags = 1; // F_GETFD
    const int SetFlags = 2; // F_SETFD
    const int CloseOnExec = 1; // FD_CLOEXEC

    public static void SealInherited()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var fd) || fd <= 2)
            {
                continue;
            }
            var flags = fcntl(fd, GetFlags, 0);
            if (flags >= 0 && (flags & CloseOnExec) == 0)
            {
                _ = fcntl(fd, SetFlags, flags | CloseOnExec);
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    static extern int fcntl(int fd, int cmd, int arg);
}
