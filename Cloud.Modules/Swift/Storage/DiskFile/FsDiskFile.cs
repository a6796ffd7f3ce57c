using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// An object's files in Swift's layout: <c>&lt;device&gt;/objects/&lt;partition&gt;/&lt;last 3 hex of hash&gt;/&lt;hash&gt;/</c>,
/// written through <c>&lt;device&gt;/tmp/</c> so a file appears whole or not at all.
/// </summary>
/// <param name="devicePath">The device's directory, e.g. /srv/node/sdb1.</param>
/// <param name="partition">The ring partition.</param>
/// <param name="hash">The object's name hash (32 hex).</param>
/// <param name="dataDirectory">objects, or objects-N for storage policy N.</param>
/// <param name="threads">The device's threads, which fsync a write's directories at once; without them, one after another.</param>
public sealed class FsDiskFile(string devicePath, int partition, string hash, string dataDirectory = "objects", DeviceThreads? threads = null) : IDiskFile
{
    internal const string DataExtension = ".data";
    internal const string TombstoneExtension = ".ts";
    internal const string MetaExtension = ".meta";

    /// <summary>The partition directory: <c>&lt;device&gt;/objects[-N]/&lt;partition&gt;</c>.</summary>
    public string PartitionDirectory { get; } = Path.Combine(devicePath, dataDirectory, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The hash directory.</summary>
    public string HashDirectory => Path.Combine(PartitionDirectory, hash[^3..], hash);

    /// <summary>The object's name hash.</summary>
    public string Hash => hash;

    internal string TempDirectory { get; } = Path.Combine(devicePath, "tmp");

    public DiskFileState Read()
    {
        // A concurrent writer may delete a file between listing and reading; list again then.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return ReadOnce();
            }
            catch (FileNotFoundException) when (attempt < 3)
            {
            }
        }
    }

    // Unbuffered: readers read in pieces of their own size (straight into the response's buffers).
    public Stream OpenData(DiskFileState state) =>
        ObjectDataFile.Open(state.DataPath ?? throw new FileNotFoundException("The object does not exist."));

    public IDiskFileWriter CreateWriter() => new FsDiskFileWriter(this);

    public void WriteTombstone(string timestamp) => WriteEmpty(timestamp + TombstoneExtension, new Dictionary<string, string> { ["X-Timestamp"] = timestamp });

    public void WriteMetadata(string timestamp, IReadOnlyDictionary<string, string> metadata)
    {
        var all = new Dictionary<string, string>(metadata) { ["X-Timestamp"] = timestamp };
        WriteEmpty(timestamp + MetaExtension, all);
    }

    /// <summary>
    /// Moves a finished temporary file into the hash directory and drops what it supersedes, under the partition's lock,
    /// so a replicator removing a synced handoff partition never deletes a file that arrived after it hashed.
    /// </summary>
    internal void Install(string tempPath, string fileName)
    {
        using var held = PartitionLock.Acquire(PartitionDirectory);
        var created = DirectorySync.CreateDirectory(HashDirectory);
        PosixFiles.Rename(tempPath, Path.Combine(HashDirectory, fileName));
        FsyncDirectories(created);
        if (created.Count == 0)
        {
            // Only an existing directory can hold what this file supersedes: one made just now, under the partition's
            // lock that every install takes, holds this file alone (and listing it cost 5 system calls a new object).
            CleanUp(HashDirectory, TimeSpan.MaxValue, DateTimeOffset.UtcNow);
        }
        PartitionHashes.InvalidateHeld(PartitionDirectory, hash[^3..]);
    }

    /// <summary>
    /// Makes the rename durable (the hash directory's fsync) and the entry of each directory the write made (its parent's
    /// fsync). Once the rename is done these fsyncs depend on none of the others, and all are done before the write
    /// returns, so on the device's threads they run at once: swift's renamer fsyncs them in turn, each waiting for the
    /// disk's cache flush (a new object's three took 7.4, 1.3 and 3.7 ms one after another).
    /// </summary>
    private void FsyncDirectories(IReadOnlyList<string> created)
    {
        if (threads is null || created.Count == 0)
        {
            DirectorySync.Fsync(HashDirectory);
            DirectorySync.FsyncParents(created);
            return;
        }
        var fsyncs = new List<Action>(created.Count + 1) { () => DirectorySync.Fsync(HashDirectory) };
        foreach (var parent in DirectorySync.Parents(created))
        {
            fsyncs.Add(() => DirectorySync.Fsync(parent));
        }
        threads.RunAll(fsyncs);
    }

    /// <summary>Installs a file without content (.ts or .meta) carrying <paramref name="metadata"/>.</summary>
    internal void WriteEmpty(string fileName, IReadOnlyDictionary<string, string> metadata)
    {
        var (handle, temp) = TempFiles.Create(TempDirectory);
        var installed = false;
        try
        {
            using (handle)
            {
                // The metadata is all a .ts or .meta holds: set before the fsync, so the fsync covers it.
                DiskFileMetadata.Write(temp, metadata);
                RandomAccess.FlushToDisk(handle);
            }
            Install(temp, fileName);
            installed = true;
        }
        finally
        {
            if (!installed)
            {
                // Once installed the name is gone from tmp/: deleting it anyway was a failed unlink per DELETE.
                File.Delete(temp);
            }
        }
    }

    private DiskFileState ReadOnce()
    {
        string[] files;
        try
        {
            // Listed without a Directory.Exists first: a stat per read saved for the objects that exist.
            files = Directory.GetFiles(HashDirectory);
        }
        catch (DirectoryNotFoundException)
        {
            return DiskFileState.Missing;
        }
        var (newest, meta) = Newest(files);
        if (newest is null)
        {
            return DiskFileState.Missing;
        }
        var timestamp = Path.GetFileNameWithoutExtension(newest);
        if (newest.EndsWith(TombstoneExtension, StringComparison.Ordinal))
        {
            return new DiskFileState(timestamp, true, new Dictionary<string, string>(), null);
        }
        var metadata = DiskFileMetadata.Read(newest);
        if (meta is not null && SwiftTimestamp.Compare(Path.GetFileNameWithoutExtension(meta), timestamp) > 0)
        {
            // A POST replaces the user metadata as a whole, so drop the .data file's before applying the .meta's; so too
            // a DLO's X-Object-Manifest, which a POST sets or (by leaving it out) clears, as in swift.
            foreach (var key in metadata.Keys.Where(k => IsUserMetadata(k) || IsPostReplaced(k)).ToList())
            {
                metadata.Remove(key);
            }
            foreach (var (key, value) in DiskFileMetadata.Read(meta))
            {
                metadata[key] = value;
            }
        }
        return new DiskFileState(timestamp, false, metadata, newest);
    }

    internal static bool IsUserMetadata(string key) => key.StartsWith("X-Object-Meta-", StringComparison.OrdinalIgnoreCase);

    /// <summary>A header besides X-Object-Meta-* that a POST's .meta replaces (swift's allowed_headers; only X-Object-Manifest so far).</summary>
    internal static bool IsPostReplaced(string key) => string.Equals(key, "X-Object-Manifest", StringComparison.OrdinalIgnoreCase);

    /// <summary>The newest .data/.ts and the newest .meta among <paramref name="files"/>.</summary>
    private static (string? Newest, string? Meta) Newest(IEnumerable<string> files)
    {
        string? newest = null;
        string? meta = null;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(DataExtension, StringComparison.Ordinal) || name.EndsWith(TombstoneExtension, StringComparison.Ordinal))
            {
                if (newest is null || IsNewer(name, Path.GetFileName(newest)))
                {
                    newest = file;
                }
            }
            else if (name.EndsWith(MetaExtension, StringComparison.Ordinal) && (meta is null || IsNewer(name, Path.GetFileName(meta))))
            {
                meta = file;
            }
        }
        return (newest, meta);
    }

    // On equal timestamps a tombstone beats data, as in Swift.
    private static bool IsNewer(string name, string than)
    {
        var order = SwiftTimestamp.Compare(Path.GetFileNameWithoutExtension(name), Path.GetFileNameWithoutExtension(than));
        return order > 0 || (order == 0 && name.EndsWith(TombstoneExtension, StringComparison.Ordinal));
    }

    /// <summary>
    /// Keeps the newest .data/.ts and a .meta newer than it; everything else is superseded. A tombstone left alone and
    /// older than <paramref name="reclaimAge"/> goes too. Returns the names of the files kept.
    /// </summary>
    internal static IReadOnlyList<string> CleanUp(string hashDirectory, TimeSpan reclaimAge, DateTimeOffset now)
    {
        string[] files;
        try
        {
            files = Directory.GetFiles(hashDirectory);
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        var (newest, meta) = Newest(files);
        var keepMeta = meta is not null && newest is not null && newest.EndsWith(DataExtension, StringComparison.Ordinal)
            && SwiftTimestamp.Compare(Path.GetFileNameWithoutExtension(meta), Path.GetFileNameWithoutExtension(newest)) > 0;
        if (newest is not null && newest.EndsWith(TombstoneExtension, StringComparison.Ordinal) && IsOlderThan(newest, reclaimAge, now))
        {
            newest = null;
        }
        var kept = new List<string>(2);
        foreach (var file in files)
        {
            if (file == newest || (keepMeta && file == meta))
            {
                kept.Add(Path.GetFileName(file));
                continue;
            }
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Another writer's clean-up got there first.
            }
        }
        return kept;
    }

    private static bool IsOlderThan(string file, TimeSpan age, DateTimeOffset now)
    {
        if (age == TimeSpan.MaxValue || !decimal.TryParse(Path.GetFileNameWithoutExtension(file), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        return now.ToUnixTimeMilliseconds() / 1000m - seconds > (decimal)age.TotalSeconds;
    }
}
