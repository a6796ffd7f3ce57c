using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage.DiskFile;

/// <summary>The .data reader of object GETs and HEADs: the bytes and size a FileStream would give, in fewer system calls.</summary>
public sealed class ObjectDataFileTests
{
    private TempDir _dir = default!;

    [SetUp]
    public void Create() => _dir = new TempDir();

    [TearDown]
    public void Remove() => _dir.Dispose();

    private string Write(byte[] content)
    {
        var path = Path.Combine(_dir.Path, "1700000001.00000.data");
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    // Empty, a small object, one past the readahead advice threshold, several pieces.
    [TestCase(0)]
    [TestCase(4096)]
    [TestCase(64 * 1024 + 1)]
    [TestCase(300_001)]
    public async Task Reads_the_whole_file_in_pieces_and_knows_its_length(int length)
    {
        var content = Random(length);
        await using var data = ObjectDataFile.Open(Write(content));

        data.Length.Should().Be(length);
        var copy = new MemoryStream();
        var piece = new byte[7919];
        int read;
        while ((read = await data.ReadAsync(piece)) > 0)
        {
            copy.Write(piece, 0, read);
        }
        copy.ToArray().Should().Equal(content);
        data.Read(piece).Should().Be(0, "the end was reached");
    }

    [Test]
    public void Reads_from_where_it_was_sought()
    {
        var content = Random(10_000);
        using var data = ObjectDataFile.Open(Write(content));

        data.Seek(9_000, SeekOrigin.Begin).Should().Be(9_000);
        var rest = new byte[2_000];
        data.Read(rest).Should().Be(1_000);
        rest[..1_000].Should().Equal(content[9_000..]);
        data.Seek(-10, SeekOrigin.End).Should().Be(9_990);
        data.Seek(5, SeekOrigin.Current).Should().Be(9_995);
        data.Invoking(d => d.Seek(-1, SeekOrigin.Begin)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void A_missing_file_is_file_not_found() =>
        FluentActions.Invoking(() => ObjectDataFile.Open(Path.Combine(_dir.Path, "gone.data"))).Should().Throw<FileNotFoundException>();

    [Test]
    public void A_file_removed_after_opening_still_reads_whole()
    {
        var content = Random(5_000);
        var path = Write(content);
        using var data = ObjectDataFile.Open(path);
        File.Delete(path);

        var all = new byte[6_000];
        data.Read(all).Should().Be(5_000);
        all[..5_000].Should().Equal(content);
    }

    [Test]
    public async Task A_cancelled_read_reads_nothing()
    {
        await using var data = ObjectDataFile.Open(Write(Random(100)));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await data.Invoking(d => d.ReadAsync(new byte[100], cancelled.Token).AsTask()).Should().ThrowAsync<OperationCanceledException>();
        data.Position.Should().Be(0);
    }

    [Test]
    public void A_closed_file_refuses_reads()
    {
        var data = ObjectDataFile.Open(Write(Random(100)));
        data.Dispose();

        data.Invoking(d => d.Read(new byte[10])).Should().Throw<ObjectDisposedException>();
        data.CanRead.Should().BeFalse();
    }

    [Test]
    public void Is_read_only()
    {
        using var data = ObjectDataFile.Open(Write(Random(10)));

        data.CanWrite.Should().BeFalse();
        data.Invoking(d => d.Write(new byte[1], 0, 1)).Should().Throw<NotSupportedException>();
        data.Invoking(d => d.SetLength(1)).Should().Throw<NotSupportedException>();
    }
}
