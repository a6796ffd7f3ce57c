using System.Runtime.InteropServices;
using Cloud.Modules.Kernel.IO;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class AlignedBuffersTests
{
    [Test]
    public void A_rented_buffer_starts_on_the_direct_write_alignment_and_holds_its_size()
    {
        var array = AlignedBuffers.Rent();
        try
        {
            var aligned = AlignedBuffers.Aligned(array);
            aligned.Length.Should().Be(AlignedBuffers.Size);
            MemoryMarshal.TryGetArray<byte>(aligned, out var segment).Should().BeTrue();
            (Marshal.UnsafeAddrOfPinnedArrayElement(segment.Array!, segment.Offset) % DirectWrites.Alignment).Should().Be(0);
        }
        finally
        {
            AlignedBuffers.Return(array);
        }
    }
}
