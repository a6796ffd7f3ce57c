using Cloud.Modules.Glance.Streaming;
using Cloud.Modules.Kernel.IO;
using Cloud.Tests.Support;
using FluentAssertions;
using Microsoft.Win32.SafeHandles;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Kernel;

/// <summary>Direct reads ahead of the reader hand out exactly the range's bytes, in any piece sizes, and notice a short file.</summary>
public sealed class DirectReadAheadTests
{
    private static readonly byte[] Data = ForwardStream.Bytes(5 * AlignedBuffers.Size + 12_345);

    [TestCase(0, -1, 1 << 20)]
    [TestCase(0, -1, 1000)]
    [TestCase(1, -1, 65_536)]
    [TestCase(4095, 3 * (1 << 20), 333_333)]
    [TestCase(1 << 20, 1 << 20, 7)]
    [TestCase(5 * (1 << 20) + 12_000, -1, 4096)]
    [TestCase(17, 0, 4096)]
    public async Task A_range_read_in_pieces_is_the_file_s_bytes(int offset, int length, int piece)
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "image");
        await File.WriteAllBytesAsync(path, Data);
        var expected = length < 0 ? Data.AsSpan(offset).ToArray() : Data.AsSpan(offset, length).ToArray();

        using var file = OpenRead(path);
        using var reader = DirectReadAhead.TryStart(file, offset, expected.Length) ?? Inconclusive();
        (await ReadAll(reader, piece)).Should().Equal(expected);
    }

    [Test]
    public async Task A_file_cut_short_while_read_fails_the_read_instead_of_handing_out_what_follows()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "image");
        await File.WriteAllBytesAsync(path, Data);
        using var file = OpenRead(path);
        using var reader = DirectReadAhead.TryStart(file, 0, Data.Length + 10_000) ?? Inconclusive();

        var read = () => ReadAll(reader, 1 << 20);
        await read.Should().ThrowAsync<IOException>().WithMessage("*ended 10000 bytes early*");
    }

    [Test]
    public async Task Disposing_with_reads_in_flight_leaves_the_next_reader_the_right_bytes()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "image");
        await File.WriteAllBytesAsync(path, Data);
        for (var i = 0; i < 20; i++)
        {
            using var file = OpenRead(path);
            using var reader = DirectReadAhead.TryStart(file, 0, Data.Length) ?? Inconclusive();
            var first = new byte[100];
            (await reader.ReadAsync(first, default)).Should().Be(100);
            first.Should().Equal(Data.AsSpan(0, 100).ToArray());
        }
        using var last = LocalImageFile.Open(path, 3, null, direct: true);
        var all = new MemoryStream();
        await last.CopyToAsync(all);
        all.ToArray().Should().Equal(Data.AsSpan(3).ToArray());
    }

    private static SafeFileHandle OpenRead(string path) => File.OpenHandle(path, FileMode.Open, FileAccess.Read);

    private static DirectReadAhead Inconclusive()
    {
        Assert.Inconclusive("This file system reads nothing direct.");
        return null!;
    }

    private static async Task<byte[]> ReadAll(DirectReadAhead reader, int piece)
    {
        var all = new MemoryStream();
        var buffer = new byte[piece];
        int n;
        while ((n = await reader.ReadAsync(buffer, default)) > 0)
        {
            all.Write(buffer, 0, n);
        }
        return all.ToArray();
    }
}
