using System.Globalization;
using System.Text;
using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Regressions;

/// <summary>
/// Issue 12, hole 9 (objects): the object replicator hashed a handoff partition once, pushed it, and deleted the whole
/// directory without its lock, so a write that arrived meanwhile was lost. Now writers install under the partition's
/// lock and the replicator, holding it, re-hashes each suffix and deletes only what every primary has.
/// </summary>
public sealed class Bug0012_09_SwiftReplicationLosesWrites
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private readonly TempDir _device = new();

    private string Partition => Path.Combine(_device.Path, "objects", "7");

    [TearDown]
    public void Clean() => _device.Dispose();

    private static string Hash(string suffix, int n) => n.ToString("x29", CultureInfo.InvariantCulture) + suffix;

    private async Task WriteAsync(string hash, string timestamp, string content)
    {
        var file = new FsDiskFile(_device.Path, 7, hash);
        await using var writer = file.CreateWriter();
        var (etag, length) = await writer.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None);
        writer.Commit(timestamp, new Dictionary<string, string>
        {
            ["name"] = "/a/c/" + content, ["X-Timestamp"] = timestamp, ["ETag"] = etag,
            ["Content-Length"] = length.ToString(CultureInfo.InvariantCulture),
        });
    }

    [Test]
    public async Task A_write_arriving_into_a_handoff_partition_during_its_replication_is_not_lost()
    {
        await WriteAsync(Hash("abc", 1), "1764000000.00000", "synced");
        // What the replicator hashed and found on every primary.
        var synced = PartitionHashes.Get(Partition, [], Week, DateTimeOffset.UtcNow);
        // Writes arriving while it pushed: a new suffix, and a newer version in the synced suffix.
        await WriteAsync(Hash("def", 2), "1764000001.00000", "arrived in a new suffix");
        await WriteAsync(Hash("abc", 3), "1764000002.00000", "arrived beside the synced one");

        var removed = PartitionHashes.RemoveSynced(Partition, synced, Week, DateTimeOffset.UtcNow);

        removed.Should().BeFalse("the partition still holds what no primary has");
        Directory.GetFiles(Path.Combine(Partition, "def", Hash("def", 2))).Should().ContainSingle(f => f.EndsWith(".data", StringComparison.Ordinal));
        Directory.GetFiles(Path.Combine(Partition, "abc", Hash("abc", 3))).Should().ContainSingle(f => f.EndsWith(".data", StringComparison.Ordinal));
    }

    [Test]
    public async Task Only_the_suffixes_every_primary_has_are_removed_and_an_emptied_partition_goes()
    {
        await WriteAsync(Hash("abc", 1), "1764000000.00000", "one");
        await WriteAsync(Hash("def", 2), "1764000000.00000", "two");
        var hashes = PartitionHashes.Get(Partition, [], Week, DateTimeOffset.UtcNow);

        PartitionHashes.RemoveSynced(Partition, new Dictionary<string, string> { ["abc"] = hashes["abc"] }, Week, DateTimeOffset.UtcNow).Should().BeFalse();
        Directory.Exists(Path.Combine(Partition, "abc")).Should().BeFalse();
        Directory.Exists(Path.Combine(Partition, "def")).Should().BeTrue("def was not confirmed on the primaries");

        PartitionHashes.RemoveSynced(Partition, hashes, Week, DateTimeOffset.UtcNow).Should().BeTrue();
        Directory.Exists(Partition).Should().BeFalse();
    }

    [Test]
    public async Task A_writer_waits_for_the_partition_lock_the_replicator_holds()
    {
        await WriteAsync(Hash("abc", 1), "1764000000.00000", "one");
        Task write;
        using (PartitionLock.Acquire(Partition))
        {
            write = Task.Run(() => WriteAsync(Hash("def", 2), "1764000001.00000", "two"));
            // The writer is parked on the lock: its file is not installed while the replicator holds it.
            await Poller.UntilAsync(() => Task.FromResult(Directory.GetFiles(Path.Combine(_device.Path, "tmp")).Length == 1), TimeSpan.FromSeconds(10), "the writer's temp file");
            Directory.Exists(Path.Combine(Partition, "def")).Should().BeFalse();
        }
        await write;
        Directory.Exists(Path.Combine(Partition, "def")).Should().BeTrue();
    }
}
