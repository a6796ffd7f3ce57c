using System.Text;
using Cloud.Modules.Kernel.IO;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

public sealed class BufferWriterStreamTests
{
    [Test]
    public async Task Every_kind_of_write_lands_in_the_buffer_in_order_and_async_ones_complete_at_once()
    {
        using var buffer = new PooledBufferWriter();
        var stream = new BufferWriterStream(buffer);
        stream.Write("a"u8);
        var memoryWrite = stream.WriteAsync(Encoding.ASCII.GetBytes("bc").AsMemory());
        memoryWrite.IsCompletedSuccessfully.Should().BeTrue();
        await memoryWrite;
        await stream.WriteAsync(Encoding.ASCII.GetBytes("xdex"), 1, 2);
        // More than the writer's first buffer (64 KiB), as a page of 1,000 listing rows is.
        await stream.WriteAsync(new byte[100_000].AsMemory());
        await stream.FlushAsync();
        buffer.Length.Should().Be(5 + 100_000);
        Encoding.ASCII.GetString(buffer.Written.Span[..5]).Should().Be("abcde");
    }
}
