using System.Buffers.Binary;
using Pipeline.Rewards.Code;
using Pipeline.Sandboxing;

namespace Pipeline.Tests.Unit.Sandbox;

public sealed class SandboxSeccompTests
{
    /// <summary>One denied call, instruction by instruction: (code, jt, jf, k).</summary>
    [Fact]
    public void Assembles_the_filter_for_one_denied_call()
    {
        var bytes = SandboxSeccomp.Assemble([101]);

        (ushort, byte, byte, uint)[] expected =
        [
            (0x20, 0, 0, 4),                 // A = arch
            (0x15, 1, 0, 0xC000003E),        // x86-64? skip the kill
            (0x06, 0, 0, 0x80000000),        // kill the process
            (0x20, 0, 0, 0),                 // A = nr
            (0x35, 2, 0, 0x40000000),        // x32 number → deny (index 7)
            (0x15, 1, 0, 101),               // ptrace → deny (index 7)
            (0x06, 0, 0, 0x7FFF0000),        // allow
            (0x06, 0, 0, 0x00050001),        // errno EPERM
        ];
        Assert.Equal(expected.Length * 8, bytes.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var slot = bytes.AsSpan(i * 8, 8);
            Assert.Equal(expected[i], (BinaryPrimitives.ReadUInt16LittleEndian(slot), slot[2], slot[3],
                BinaryPrimitives.ReadUInt32LittleEndian(slot[4..])));
        }
    }

    [Fact]
    public void Every_denied_call_jumps_to_the_last_instruction()
    {
        var numbers = SandboxSeccomp.Denied.Select(d => d.Number).ToArray();
        var bytes = SandboxSeccomp.Assemble(numbers);
        var count = bytes.Length / 8;
        Assert.Equal(numbers.Length + 7, count);
        for (var i = 4; i < count - 2; i++)
        {
            Assert.Equal(count - 1, i + 1 + bytes[i * 8 + 2]);
        }
        Assert.Equal(numbers.Length, numbers.Distinct().Count());
    }
}
