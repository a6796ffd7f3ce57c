using System.Text;
using Cloud.Modules.Swift.Storage.DiskFile;
using Cloud.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace Cloud.Tests.Unit.Swift.Storage;

/// <summary>Suffix hashes (swift's get_hashes) and their cache in hashes.json, invalidated by every write.</summary>
public sealed class PartitionHashesTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private readonly TempDir _device = new();

    private string PartitionDirectory => Path.Combine(_device.Path, "objects", "7");

    [TearDown]
    public void Clean() => _device.Dispose();

    [Test]
    public async Task Each_suffix_with_objects_has_a_hash_and_replicas_with_the_same_files_agree()
    {
        using var other = new TempDir();
        foreach (var device in new[] { _device.Path, other.Path })
        {
            await WriteAsync(device, Hash("abc", 1), "1700000000.00000", "one");
            await WriteAsync(device, Hash("def", 2), "1700000000.00000", "two");
        }

        var hashes = Get(PartitionDirectory);
        hashes.Keys.Should().BeEquivalentTo(["abc", "def"]);
        Get(Path.Combine(other.Path, "objects", "7")).Should().BeEquivalentTo(hashes);
        File.Exists(Path.Combine(PartitionDirectory, PartitionHashes.HashesFile)).Should().BeTrue();
    }

    [Test]
    public async Task A_write_invalidates_its_suffix_and_the_next_read_rehashes_it()
    {
        await WriteAsync(_device.Path, Hash("abc", 1), "1700000000.00000", "one");
        var before = Get(PartitionDirectory);
        File.Exists(Path.Combine(PartitionDirectory, PartitionHashes.InvalidFile)).Should().BeFalse("reading consumed the invalidations");

        await WriteAsync(_device.Path, Hash("abc", 1), "1700000001.00000", "newer");
        File.ReadAllText(Path.Combine(PartitionDirectory, PartitionHashes.InvalidFile)).Should().Contain("abc");

        Get(PartitionDirectory)["abc"].Should().NotBe(before["abc"]);
    }

    [Test]
    public async Task The_cached_hash_is_served_until_the_suffix_is_invalidated_or_named()
    {
        var hash = Hash("abc", 1);
        await WriteAsync(_device.Path, hash, "1700000000.00000", "one");
        var cached = Get(PartitionDirectory)["abc"];
        // A file appearing behind the object server's back (as after a restore) is not seen until asked for.
        var hashDirectory = Path.Combine(PartitionDirectory, "abc", hash);
        File.Move(Directory.GetFiles(hashDirectory).Single(), Path.Combine(hashDirectory, "1700000005.00000.data"));

        Get(PartitionDirectory)["abc"].Should().Be(cached);
        PartitionHashes.Get(PartitionDirectory, ["abc"], Week, DateTimeOffset.UtcNow)["abc"].Should().NotBe(cached);
    }

    [Test]
    public void A_tombstone_older_than_the_reclaim_age_is_removed_with_its_empty_suffix()
    {
        var hash = Hash("abc", 1);
        new FsDiskFile(_device.Path, 7, hash).WriteTombstone("1000000000.00000");
        new FsDiskFile(_device.Path, 7, Hash("def", 2)).WriteTombstone(Now());

        var hashes = Get(PartitionDirectory);

        hashes.Keys.Should().BeEquivalentTo(["def"], "the recent tombstone stays, so the delete still replicates");
        Directory.Exists(Path.Combine(PartitionDirectory, "abc")).Should().BeFalse();
    }

    [Test]
    public void A_tombstone_in_a_suffix_nobody_writes_to_is_reclaimed_when_the_whole_partition_is_rehashed_again()
    {
        var now = DateTimeOffset.UtcNow;
        var deletedAt = now - TimeSpan.FromDays(2);
        new FsDiskFile(_device.Path, 7, Hash("abc", 1)).WriteTombstone(deletedAt.ToUnixTimeSeconds() + ".00000");
        var day = TimeSpan.FromDays(1);

        // An hour after the delete the tombstone is young; a pass every few seconds keeps the cache fresh.
        PartitionHashes.Get(PartitionDirectory, [], day, deletedAt + TimeSpan.FromHours(1)).Keys.Should().Equal("abc");
        PartitionHashes.Get(PartitionDirectory, [], day, deletedAt + TimeSpan.FromHours(2)).Keys.Should().Equal("abc");

        PartitionHashes.Get(PartitionDirectory, [], day, now).Should().BeEmpty("a day after the last whole rehash, the next one reclaims it");
    }

    [Test]
    public void Only_three_lower_case_hex_digits_name_a_suffix()
    {
        PartitionHashes.IsSuffix("a0f").Should().BeTrue();
        PartitionHashes.IsSuffix("A0F").Should().BeFalse();
        PartitionHashes.IsSuffix("tmp").Should().BeFalse();
        PartitionHashes.IsSuffix("abcd").Should().BeFalse();
    }

    private static IReadOnlyDictionary<string, string> Get(string partitionDirectory) =>
        PartitionHashes.Get(partitionDirectory, [], Week, DateTimeOffset.UtcNow);

    private static string Hash(string suffix, int n) => n.ToString("x29", System.Globalization.CultureInfo.InvariantCulture) + suffix;

    private static string Now() =>
        (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".00000";

    private static async Task WriteAsync(string device, string hash, string timestamp, string content)
    {
        var file = new FsDiskFile(device, 7, hash);
        await using var writer = file.CreateWriter();
        var (etag, length) = await writer.WriteAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None);
        writer.Commit(timestamp, new Dictionary<string, string>
        {
            ["name"] = "/a/c/" + content,
            ["X-Timestamp"] = timestamp,
            ["ETag"] = etag,
            ["Content-Length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }
}
