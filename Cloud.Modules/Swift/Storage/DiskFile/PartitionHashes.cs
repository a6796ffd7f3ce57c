using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// Swift's suffix hashes (<c>diskfile.get_hashes</c>): per partition, one MD5 per suffix directory over the file names
/// of its objects, so two replicas compare a partition by a few hundred bytes and only differing suffixes are synced.
/// They are cached in <c>hashes.json</c> (swift's hashes.pkl); every write appends its suffix to <c>hashes.invalid</c>
/// (as swift does) and the next read rehashes just those. Rehashing also reclaims tombstones older than the reclaim age.
/// </summary>
public static class PartitionHashes
{
    /// <summary>The cache file in the partition directory.</summary>
    public const string HashesFile = "hashes.json";

    /// <summary>Suffixes written since the cache was last brought up to date, one a line.</summary>
    public const string InvalidFile = "hashes.invalid";

    /// <summary>Touched at each rehash of the whole partition; its age says when the next one is due.</summary>
    public const string ListedFile = "hashes.listed";

    /// <summary>Marks <paramref name="suffix"/> of a partition as changed.</summary>
    public static void Invalidate(string partitionDirectory, string suffix)
    {
        using var held = PartitionLock.Acquire(partitionDirectory);
        InvalidateHeld(partitionDirectory, suffix);
    }

    /// <summary><see cref="Invalidate"/> for a caller already holding the partition's lock.</summary>
    internal static void InvalidateHeld(string partitionDirectory, string suffix)
    {
        // Open, write, close: File.AppendAllText's FileStream added an fstatfs, an flock, a seek and an fstat to each
        // replica write, and the partition's lock held by the caller already keeps appends apart.
        using var file = PosixFiles.OpenForAppend(Path.Combine(partitionDirectory, InvalidFile));
        PosixFiles.Write(file, Encoding.ASCII.GetBytes(suffix + "\n"));
    }

    /// <summary>
    /// Removes from a handoff partition what every primary has: under the partition's lock (writers install under it
    /// too), each suffix is hashed afresh and deleted only when its hash is still the one in <paramref name="synced"/>;
    /// a suffix written since (or never synced) stays for the next pass. The partition directory goes when no suffix is left.
    /// </summary>
    /// <param name="partitionDirectory"><c>&lt;device&gt;/objects/&lt;partition&gt;</c>.</param>
    /// <param name="synced">Suffix → hash that every primary was found to have.</param>
    /// <param name="reclaimAge">Age past which a lone tombstone is removed while hashing.</param>
    /// <param name="now">The current time.</param>
    /// <returns>Whether the whole partition was removed.</returns>
    public static bool RemoveSynced(string partitionDirectory, IReadOnlyDictionary<string, string> synced, TimeSpan reclaimAge, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(synced);
        using (var held = PartitionLock.Acquire(partitionDirectory))
        {
            var left = 0;
            foreach (var suffixDirectory in Directory.GetDirectories(partitionDirectory).Where(d => IsSuffix(Path.GetFileName(d))))
            {
                var suffix = Path.GetFileName(suffixDirectory);
                if (HashSuffix(suffixDirectory, reclaimAge, now) is not { } fresh)
                {
                    continue;
                }
                if (synced.TryGetValue(suffix, out var theirs) && theirs == fresh)
                {
                    Directory.Delete(suffixDirectory, recursive: true);
                    InvalidateHeld(partitionDirectory, suffix);
                }
                else
                {
                    left++;
                }
            }
            if (left > 0)
            {
                return false;
            }
            // Still holding the lock: a writer waiting for it finds the directory gone and creates it afresh.
            Directory.Delete(partitionDirectory, recursive: true);
        }
        return true;
    }

    /// <summary>
    /// The suffix hashes of a partition (suffix → MD5 hex; an empty suffix is absent), from the cache where it is valid.
    /// The whole partition is rehashed when the cache is missing or was last rebuilt whole more than
    /// <paramref name="reclaimAge"/> ago, so old tombstones in suffixes nobody writes to are reclaimed too.
    /// </summary>
    /// <param name="partitionDirectory"><c>&lt;device&gt;/objects/&lt;partition&gt;</c>.</param>
    /// <param name="recalculate">Suffixes to rehash in any case (a REPLICATE after a sync names them).</param>
    /// <param name="reclaimAge">Age past which a lone tombstone is removed.</param>
    /// <param name="now">The current time.</param>
    public static IReadOnlyDictionary<string, string> Get(string partitionDirectory, IEnumerable<string> recalculate, TimeSpan reclaimAge, DateTimeOffset now)
    {
        using var held = PartitionLock.Acquire(partitionDirectory);
        var cache = Path.Combine(partitionDirectory, HashesFile);
        var invalid = Path.Combine(partitionDirectory, InvalidFile);
        var listed = Path.Combine(partitionDirectory, ListedFile);
        var hashes = File.Exists(listed) && now - File.GetLastWriteTimeUtc(listed) <= reclaimAge ? Load(cache) : null;
        var stale = new HashSet<string>(recalculate, StringComparer.Ordinal);
        if (File.Exists(invalid))
        {
            stale.UnionWith(File.ReadAllLines(invalid).Where(IsSuffix));
        }
        var whole = hashes is null;
        if (hashes is null)
        {
            hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            stale.UnionWith(Directory.EnumerateDirectories(partitionDirectory).Select(Path.GetFileName).Where(IsSuffix)!);
            File.WriteAllBytes(listed, []);
            File.SetLastWriteTimeUtc(listed, now.UtcDateTime);
        }
        foreach (var suffix in stale)
        {
            if (HashSuffix(Path.Combine(partitionDirectory, suffix), reclaimAge, now) is { } hash)
            {
                hashes[suffix] = hash;
            }
            else
            {
                hashes.Remove(suffix);
            }
        }
        if (whole || stale.Count > 0)
        {
            // Rewritten only when something was rehashed: a replication pass over quiet partitions writes nothing.
            var temp = cache + ".tmp";
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, string>(hashes, StringComparer.Ordinal)));
            File.Move(temp, cache, overwrite: true);
            File.Delete(invalid);
        }
        return hashes;
    }

    /// <summary>Whether <paramref name="name"/> is a suffix directory's name: the last three hex digits of a hash.</summary>
    public static bool IsSuffix(string? name) => name is { Length: 3 } && name.All(char.IsAsciiHexDigitLower);

    /// <summary>
    /// MD5 over the hash directories and file names of one suffix, after dropping superseded files and reclaimable
    /// tombstones; null (and the directory removed) when nothing is left.
    /// </summary>
    internal static string? HashSuffix(string suffixDirectory, TimeSpan reclaimAge, DateTimeOffset now)
    {
        if (!Directory.Exists(suffixDirectory))
        {
            return null;
        }
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var any = false;
        foreach (var hashDirectory in Directory.GetDirectories(suffixDirectory).Order(StringComparer.Ordinal))
        {
            var files = FsDiskFile.CleanUp(hashDirectory, reclaimAge, now);
            if (files.Count == 0)
            {
                TryDelete(hashDirectory);
                continue;
            }
            any = true;
            md5.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(hashDirectory)));
            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                md5.AppendData(Encoding.UTF8.GetBytes(file));
            }
        }
        if (!any)
        {
            TryDelete(suffixDirectory);
            return null;
        }
        return Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant();
    }

    private static Dictionary<string, string>? Load(string cache)
    {
        try
        {
            if (!File.Exists(cache))
            {
                return null;
            }
            var parsed = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllBytes(cache));
            return parsed is null ? null : new Dictionary<string, string>(parsed, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            // A torn or foreign cache is just rebuilt.
            return null;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory);
        }
        catch (IOException)
        {
            // Not empty any more: a writer got in first; its invalidation brings us back here.
        }
    }
}
