using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pipeline.Sandboxing;

/// <summary>The seccomp filter every sandboxed program runs under (bwrap <c>--seccomp</c>): a classic-BPF program
/// that fails the system calls a Python solution never needs and a breakout would — tracing and reading other
/// processes, kernel keyrings, namespaces, mounts, modules, BPF, io_uring, userfaultfd, perf events, clocks, reboot —
/// with EPERM, kills the process on any other syscall ABI (i386 <c>int 0x80</c>), and refuses x32 syscall numbers.
/// Hand-assembled because libseccomp's compiler is not a .NET library and the program is twenty-odd instructions;
/// x86-64 only (the syscall numbers are the architecture's); elsewhere the sandbox runs without it and says so.</summary>
static class SandboxSeccomp
{
    // struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; }
    const uint NrOffset = 0;
    const uint ArchOffset = 4;
    const uint AuditArchX8664 = 0xC000003E;
    const uint X32SyscallBit = 0x40000000;

    const ushort LoadWordAbsolute = 0x20; // BPF_LD | BPF_W | BPF_ABS
    const ushort JumpIfEqual = 0x15;      // BPF_JMP | BPF_JEQ | BPF_K
    const ushort JumpIfAtLeast = 0x35;    // BPF_JMP | BPF_JGE | BPF_K
    const ushort Return = 0x06;           // BPF_RET | BPF_K

    const uint KillProcess = 0x80000000;  // SECCOMP_RET_KILL_PROCESS
    const uint Allow = 0x7FFF0000;        // SECCOMP_RET_ALLOW
    const uint ErrnoEperm = 0x00050000 | 1; // SECCOMP_RET_ERRNO | EPERM

    /// <summary>x86-64 numbers (asm/unistd_64.h) of the denied calls.</summary>
    public static readonly IReadOnlyList<(string Name, uint Number)> Denied =
    [
        ("ptrace", 101), ("syslog", 103), ("uselib", 134), ("personality", 135), ("vhangup", 153), ("pivot_root", 155),
        ("adjtimex", 159), ("chroot", 161), ("acct", 163), ("settimeofday", 164), ("mount", 165), ("umount2", 166),
        ("swapon", 167), ("swapoff", 168), ("reboot", 169), ("sethostname", 170), ("setdomainname", 171), ("iopl", 172),
        ("ioperm", 173), ("init_module", 175), ("delete_module", 176), ("quotactl", 179), ("lookup_dcookie", 212),
        ("clock_settime", 227), ("kexec_load", 246), ("add_key", 248), ("request_key", 249), ("keyctl", 250),
        ("unshare", 272), ("move_pages", 279), ("perf_event_open", 298), ("name_to_handle_at", 303),
        ("open_by_handle_at", 304), ("setns", 308), ("process_vm_readv", 310), ("process_vm_writev", 311),
        ("kcmp", 312), ("finit_module", 313), ("kexec_file_load", 320), ("bpf", 321), ("userfaultfd", 323),
        ("io_uring_setup", 425), ("io_uring_enter", 426), ("io_uring_register", 427), ("open_tree", 428),
        ("move_mount", 429), ("fsopen", 430), ("fsconfig", 431), ("fsmount", 432), ("fspick", 433),
    ];

    /// <summary>The filter as the bytes of a <c>struct sock_filter</c> array (what bwrap reads from its
    /// <c>--seccomp</c> descriptor), or null on an architecture it is not written for.</summary>
    public static byte[]? Program() =>
        RuntimeInformation.ProcessArchitecture == Architecture.X64 ? Assemble(Denied.Select(d => d.Number).ToArray()) : null;

    /// <summary>Assembles: check the ABI, load the number, refuse x32 numbers, fail each denied number with EPERM,
    /// allow the rest.</summary>
    internal static byte[] Assemble(IReadOnlyList<uint> denied)
    {
        var program = new List<(ushort Code, byte JumpTrue, byte JumpFalse, uint K)>
        {
            (LoadWordAbsolute, 0, 0, ArchOffset),
            (JumpIfEqual, 1, 0, AuditArchX8664),
            (Return, 0, 0, KillProcess),
            (LoadWordAbsolute, 0, 0, NrOffset),
        };
        // Instruction i jumps to "deny" (the last instruction) with an offset counted from i + 1.
        int deny = program.Count + 1 + denied.Count + 1;
        program.Add((JumpIfAtLeast, checked((byte)(deny - program.Count - 1)), 0, X32SyscallBit));
        foreach (var number in denied)
        {
            program.Add((JumpIfEqual, checked((byte)(deny - program.Count - 1)), 0, number));
        }
        program.Add((Return, 0, 0, Allow));
        program.Add((Return, 0, 0, ErrnoEperm));

        var bytes = new byte[program.Count * 8];
        for (var i = 0; i < program.Count; i++)
        {
            var (code, jumpTrue, jumpFalse, k) = program[i];
            var slot = bytes.AsSpan(i * 8, 8);
            BinaryPrimitives.WriteUInt16LittleEndian(slot, code);
            slot[2] = jumpTrue;
            slot[3] = jumpFalse;
            BinaryPrimitives.WriteUInt32LittleEndian(slot[4..], k);
        }
        return bytes;
    }
}
