using Cloud.Modules.Glance.Stores;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Glance;

/// <summary>The file store's copy that reads the next chunk while the previous one is written.</summary>
public sealed class OverlappedFileCopyTests
{
    [Test]
    public async Task Every_chunk_lands_in_order_and_each_write_is_counted_once()
    {
        using var dir = new TempDir();
        var data = ForwardStream.Bytes(1_000_003);
        var counted = 0L;
        long copied;
        await using (var file = new FileStream(Path.Combine(dir.Path, "f"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
        {
            copied = await OverlappedFileCopy.CopyAsync(new ForwardStream(data), file, 65_536, n => counted += n, default);
        }

        copied.Should().Be(data.Length);
        counted.Should().Be(data.Length);
        (await File.ReadAllBytesAsync(Path.Combine(dir.Path, "f"))).Should().Equal(data);
    }

    [Test]
    public async Task A_read_that_fails_with_a_write_in_flight_fails_the_copy_once_that_write_is_done()
    {
        using var dir = new TempDir();
        var data = ForwardStream.Bytes(500_000);
        var path = Path.Combine(dir.Path, "f");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);

        await FluentActions.Awaiting(() => OverlappedFileCopy.CopyAsync(new ForwardStream(data, failAfter: 300_000), file, 65_536, _ => { }, default))
            .Should().ThrowAsync<IOException>().WithMessage("the client went away");

        file.Length.Should().Be(300_000, "the chunks read before the failure are written, and no write is left running");
    }
}
