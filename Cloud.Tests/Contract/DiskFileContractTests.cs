using System.Text;
using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Contract;

/// <summary>Every disk file keeps the IDiskFile contract: the newest write wins, a tombstone wins a tie, a .meta replaces user metadata, nothing shows before a commit.</summary>
[TestFixture(typeof(FsDiskFileFactory))]
[TestFixture(typeof(ThreadedFsDiskFileFactory))]
[TestFixture(typeof(MemDiskFileFactory))]
public sealed class DiskFileContractTests<TFactory> where TFactory : IDiskFileFactory, new()
{
    private const string Hash = "0123456789abcdef0123456789abcdef";
    private const string T1 = "1700000001.00000";
    private const string T2 = "1700000002.00000";
    private const string T3 = "1700000003.00000";

    private TempDir _device = default!;
    private IDiskFile _file = default!;

    [SetUp]
    public void Open()
    {
        _device = new TempDir();
        _file = new TFactory().Open(_device.Path, 7, Hash);
    }

    [TearDown]
    public void Close() => _device.Dispose();

    private async Task PutAsync(string timestamp, string content, params (string Name, string Value)[] metadata)
    {
        await using var writer = _file.CreateWriter();
        await writer.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None);
        writer.Commit(timestamp, metadata.ToDictionary(m => m.Name, m => m.Value));
    }

    private async Task<string> ContentAsync(DiskFileState state)
    {
        await using var data = _file.OpenData(state);
        using var reader = new StreamReader(data);
        return await reader.ReadToEndAsync();
    }

    [Test]
    public void A_new_file_is_missing() => _file.Read().Should().Be(DiskFileState.Missing);

    [Test]
    public async Task A_writer_reports_the_md5_and_length_of_what_it_wrote()
    {
        await using var writer = _file.CreateWriter();
        var (etag, length) = await writer.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes("data")), CancellationToken.None);
        etag.Should().Be("8d777f385d3dfec8815d20f7496026dc");
        length.Should().Be(4);
    }

    // Around the writer's first buffer (256 KiB) and its 1 MiB direct chunks: empty, one byte short of, at and one past
    // the first buffer, a body ending on a chunk's end (no tail), and one with an unaligned tail.
    [TestCase(0)]
    [TestCase(256 * 1024 - 1)]
    [TestCase(256 * 1024)]
    [TestCase(256 * 1024 + 1)]
    [TestCase(256 * 1024 + 2 * 1024 * 1024)]
    [TestCase(3 * 1024 * 1024 + 4097)]
    public async Task A_body_of_any_length_reads_back_whole_with_its_md5(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        await using (var writer = _file.CreateWriter())
        {
            // Read in pieces of a few KiB, as a request body arrives.
            var (etag, written) = await writer.WriteAsync(new PiecewiseStream(body, 3000), CancellationToken.None);
            etag.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(body)));
            written.Should().Be(length);
            writer.Commit(T1, new Dictionary<string, string>());
        }
        await using var data = _file.OpenData(_file.Read());
        using var copy = new MemoryStream();
        await data.CopyToAsync(copy);
        copy.ToArray().Should().Equal(body);
    }

    /// <summary>A stream that hands out at most <paramref name="piece"/> bytes a read.</summary>
    private sealed class PiecewiseStream(byte[] content, int piece) : MemoryStream(content, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);
    }

    [Test]
    public async Task Nothing_is_visible_until_the_writer_commits()
    {
        await using (var writer = _file.CreateWriter())
        {
            await writer.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes("data")), CancellationToken.None);
        }
        _file.Read().Exists.Should().BeFalse();
    }

    [Test]
    public async Task Committed_content_reads_back_with_its_metadata()
    {
        await PutAsync(T1, "data", ("X-Object-Meta-Color", "blue"));
        var state = _file.Read();
        state.Exists.Should().BeTrue();
        state.Timestamp.Should().Be(T1);
        state.Metadata.Should().Contain("X-Object-Meta-Color", "blue");
        (await ContentAsync(state)).Should().Be("data");
    }

    [Test]
    public async Task The_newest_write_wins_whatever_the_order()
    {
        await PutAsync(T2, "new");
        await PutAsync(T1, "old");
        var state = _file.Read();
        state.Timestamp.Should().Be(T2);
        (await ContentAsync(state)).Should().Be("new");
    }

    [Test]
    public async Task A_newer_tombstone_deletes_and_an_older_one_does_not()
    {
        await PutAsync(T2, "data");
        _file.WriteTombstone(T1);
        _file.Read().Exists.Should().BeTrue();
        _file.WriteTombstone(T3);
        var state = _file.Read();
        state.Should().Match<DiskFileState>(s => s.IsTombstone && !s.Exists && s.Timestamp == T3);
    }

    [Test]
    public async Task A_tombstone_wins_a_tie_with_data()
    {
        await PutAsync(T1, "data");
        _file.WriteTombstone(T1);
        _file.Read().IsTombstone.Should().BeTrue();
    }

    [Test]
    public async Task A_newer_meta_replaces_the_user_metadata()
    {
        await PutAsync(T1, "data", ("X-Object-Meta-Color", "blue"), ("Content-Type", "text/plain"));
        _file.WriteMetadata(T2, new Dictionary<string, string> { ["X-Object-Meta-Size"] = "big" });
        var state = _file.Read();
        state.Metadata.Should().NotContainKey("X-Object-Meta-Color");
        state.Metadata.Should().Contain("X-Object-Meta-Size", "big").And.Contain("Content-Type", "text/plain");
        state.MetadataTimestamp.Should().Be(T2);
    }

    [Test]
    public async Task A_meta_older_than_the_content_is_ignored()
    {
        await PutAsync(T2, "data", ("X-Object-Meta-Color", "blue"));
        _file.WriteMetadata(T1, new Dictionary<string, string> { ["X-Object-Meta-Size"] = "big" });
        _file.Read().Metadata.Should().Contain("X-Object-Meta-Color", "blue").And.NotContainKey("X-Object-Meta-Size");
    }

    [Test]
    public async Task Content_superseded_after_its_state_was_read_is_gone()
    {
        await PutAsync(T1, "old");
        var old = _file.Read();
        await PutAsync(T2, "new");
        FluentActions.Invoking(() => _file.OpenData(old).Dispose()).Should().Throw<FileNotFoundException>();
    }
}
