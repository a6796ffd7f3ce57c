using System.Text;
using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

/// <summary>
/// Writes staged in the device's tmp/: the directory is made only when missing (not per write), nothing is left in it
/// once a write is installed or abandoned, and an install into an existing hash directory still drops what it supersedes.
/// </summary>
public sealed class FsDiskFileStagingTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef";
    private const string T1 = "1700000001.00000";
    private const string T2 = "1700000002.00000";

    private TempDir _device = default!;
    private FsDiskFile _file = default!;

    private string Tmp => Path.Combine(_device.Path, "tmp");

    [SetUp]
    public void SetUp()
    {
        _device = new TempDir();
        _file = new FsDiskFile(_device.Path, 7, Hash);
    }

    [TearDown]
    public void TearDown() => _device.Dispose();

    private async Task PutAsync(string timestamp, string content)
    {
        await using var writer = _file.CreateWriter();
        await writer.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None);
        writer.Commit(timestamp, new Dictionary<string, string>());
    }

    [Test]
    public async Task A_write_on_a_device_whose_tmp_was_removed_makes_it_again()
    {
        await PutAsync(T1, "first");
        Directory.Delete(Tmp);

        await PutAsync(T2, "second");

        _file.Read().Timestamp.Should().Be(T2);
        Directory.Exists(Tmp).Should().BeTrue();
    }

    [Test]
    public void A_tombstone_on_a_device_without_tmp_makes_it()
    {
        Directory.Exists(Tmp).Should().BeFalse();

        _file.WriteTombstone(T1);

        _file.Read().IsTombstone.Should().BeTrue();
        Directory.EnumerateFileSystemEntries(Tmp).Should().BeEmpty();
    }

    [Test]
    public async Task Installed_and_abandoned_writes_leave_nothing_in_tmp()
    {
        await PutAsync(T1, "kept");
        await using (var abandoned = _file.CreateWriter())
        {
            await abandoned.WriteAsync(new MemoryStream([1, 2, 3]), CancellationToken.None);
        }
        _file.WriteMetadata(T2, new Dictionary<string, string> { ["X-Object-Meta-Colour"] = "blue" });

        Directory.EnumerateFileSystemEntries(Tmp).Should().BeEmpty();
    }

    [Test]
    public async Task An_install_into_an_existing_hash_directory_drops_what_it_supersedes()
    {
        await PutAsync(T1, "old");

        _file.WriteTombstone(T2);

        Directory.GetFiles(_file.HashDirectory).Select(Path.GetFileName).Should().Equal(T2 + ".ts");
    }

    [Test]
    public async Task Each_write_marks_its_suffix_invalid_once()
    {
        await PutAsync(T1, "data");
        _file.WriteTombstone(T2);

        File.ReadAllLines(Path.Combine(_file.PartitionDirectory, PartitionHashes.InvalidFile)).Should().Equal("def", "def");
    }
}
