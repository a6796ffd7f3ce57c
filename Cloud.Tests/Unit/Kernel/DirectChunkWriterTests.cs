using Cloud.Modules.Kernel.IO;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>Whole aligned chunks go direct; the first unaligned one and everything after it go buffered.</summary>
public sealed class DirectChunkWriterTests
{
    [Test]
    public async Task Aligned_chunks_stay_direct_and_the_unaligned_tail_and_what_follows_go_buffered_with_every_byte_in_place()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "f");
        var data = ForwardStream.Bytes(3 * DirectWrites.Alignment + 100 + DirectWrites.Alignment);
        var array = AlignedBuffers.Rent();
        try
        {
            var buffer = AlignedBuffers.Aligned(array);
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                var writer = new DirectChunkWriter(file.SafeFileHandle, new EarlyWriteback(file.SafeFileHandle));
                if (!writer.Direct)
                {
                    Assert.Inconclusive("This file system writes nothing direct.");
                }
                long offset = 0;
                foreach (var (length, direct) in new[] { (2 * DirectWrites.Alignment, true), (DirectWrites.Alignment + 100, false), (DirectWrites.Alignment, false) })
                {
                    data.AsMemory((int)offset, length).CopyTo(buffer);
                    await writer.WriteAsync(buffer[..length], offset, default);
                    writer.Direct.Should().Be(direct, $"after the chunk of {length} bytes at {offset}");
                    offset += length;
                }
                file.Flush(flushToDisk: true);
            }
        }
        finally
        {
            AlignedBuffers.Return(array);
        }

        (await File.ReadAllBytesAsync(path)).Should().Equal(data);
    }
}
