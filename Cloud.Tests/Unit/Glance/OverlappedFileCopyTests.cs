using Cloud.Modules.Glance.Stores;
using Cloud.Modules.Kernel.IO;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

/// <summary>The file store's copy that reads the next chunk while the previous one is written, direct where it can.</summary>
public sealed class OverlappedFileCopyTests
{
    private const int Chunk = 65_536;

    [Test]
    public async Task Every_chunk_lands_in_order_and_the_unaligned_tail_goes_buffered()
    {
        using var dir = new TempDir();
        var data = ForwardStream.Bytes(1_000_003);
        var path = Path.Combine(dir.Path, "f");
        long copied;
        DirectChunkWriter writer;
        await using (var file = Create(path))
        {
            writer = new DirectChunkWriter(file.SafeFileHandle, new EarlyWriteback(file.SafeFileHandle));
            copied = await OverlappedFileCopy.CopyAsync(new ForwardStream(data), writer, Chunk, default);
        }

        copied.Should().Be(data.Length);
        writer.Direct.Should().BeFalse("the last chunk is not a multiple of the alignment");
        (await File.ReadAllBytesAsync(path)).Should().Equal(data);
    }

    [Test]
    public async Task A_body_arriving_in_small_pieces_is_still_written_in_whole_aligned_chunks()
    {
        using var dir = new TempDir();
        var data = ForwardStream.Bytes(5 * Chunk);
        var path = Path.Combine(dir.Path, "f");
        await using (var file = Create(path))
        {
            var writer = new DirectChunkWriter(file.SafeFileHandle, new EarlyWriteback(file.SafeFileHandle));
            if (!writer.Direct)
            {
                Assert.Inconclusive("This file system writes nothing direct.");
            }
            await OverlappedFileCopy.CopyAsync(new Trickle(new ForwardStream(data), 1_000), writer, Chunk, default);

            writer.Direct.Should().BeTrue("every chunk was filled whole before it was written, so none was unaligned");
        }
        (await File.ReadAllBytesAsync(path)).Should().Equal(data);
    }

    [Test]
    public async Task A_read_that_fails_with_a_write_in_flight_fails_the_copy_once_that_write_is_done()
    {
        using var dir = new TempDir();
        var data = ForwardStream.Bytes(500_000);
        var path = Path.Combine(dir.Path, "f");
        await using var file = Create(path);
        var writer = new DirectChunkWriter(file.SafeFileHandle, new EarlyWriteback(file.SafeFileHandle));

        await FluentActions.Awaiting(() => OverlappedFileCopy.CopyAsync(new ForwardStream(data, failAfter: 300_000), writer, Chunk, default))
            .Should().ThrowAsync<IOException>().WithMessage("the client went away");

        RandomAccess.GetLength(file.SafeFileHandle).Should().Be(4 * Chunk, "the whole chunks read before the failure are written, and no write is left running");
    }

    [Test]
    public async Task A_chunk_size_a_direct_write_could_not_take_is_refused()
    {
        using var dir = new TempDir();
        await using var file = Create(Path.Combine(dir.Path, "f"));
        var writer = new DirectChunkWriter(file.SafeFileHandle, new EarlyWriteback(file.SafeFileHandle));

        await FluentActions.Awaiting(() => OverlappedFileCopy.CopyAsync(new MemoryStream([1, 2, 3]), writer, 65_000, default))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => OverlappedFileCopy.CopyAsync(new MemoryStream([1, 2, 3]), writer, 2 * AlignedBuffers.Size, default))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    private static FileStream Create(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);

    /// <summary>Hands out at most <c>piece</c> bytes a read, as a socket does.</summary>
    private sealed class Trickle(Stream inner, int piece) : ReadOnlyStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(piece, buffer.Length)], cancellationToken);
    }
}
