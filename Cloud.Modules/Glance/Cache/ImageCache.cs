using Cloud.Modules.Glance.Streaming;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Glance.Cache;

/// <summary>
/// glance's image cache on local disk, for API nodes and compute hosts. Layout as glance's: cached images are files
/// named by image id in the cache directory; <c>incomplete/</c> holds downloads in progress, <c>invalid/</c> files
/// whose checksum did not match, <c>queue/</c> empty files naming images queued for prefetching; <c>cache.db</c> is the
/// index (<see cref="ImageCacheIndex"/>). A download enters the cache only when read whole with the expected MD5, and
/// every read of a cached file checks the MD5 again as it goes, read in place (<see cref="LocalImageFile"/>), the last bytes held back until it matched. Files are opened shareable, so eviction or a purge
/// never breaks a reader that has the file open.
/// </summary>
public sealed class ImageCache
{
    private const string Incomplete = "incomplete";
    private const string Invalid = "invalid";
    private const string Queue = "queue";
    private readonly ImageCacheIndex _index;
    private readonly TimeProvider _clock;

    public ImageCache(ImageCacheFlags flags, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(flags);
        Directory = Path.GetFullPath(flags.ImageCacheDir);
        MaxSize = flags.ImageCacheMaxSize;
        StallTime = TimeSpan.FromSeconds(flags.ImageCacheStallTime);
        _clock = clock;
        foreach (var dir in new[] { Directory, Path.Combine(Directory, Incomplete), Path.Combine(Directory, Invalid), Path.Combine(Directory, Queue) })
        {
            System.IO.Directory.CreateDirectory(dir);
        }
        _index = new ImageCacheIndex(Directory, clock);
    }

    public string Directory { get; }

    /// <summary>Bytes above which <see cref="PruneAsync"/> evicts.</summary>
    public long MaxSize { get; }

    /// <summary>Age after which an incomplete download is stalled.</summary>
    public TimeSpan StallTime { get; }

    /// <summary>
    /// The cached data of <paramref name="imageId"/>, counted as a hit, or null when it is not cached. A cached file
    /// recorded with another checksum than <paramref name="expectedMd5"/> (the image changed) or with another size is
    /// moved to invalid/ and is a miss; the stream fails at its end if the file's MD5 no longer matches.
    /// </summary>
    public async Task<Stream?> TryOpenAsync(string imageId, string? expectedMd5, CancellationToken ct)
    {
        var path = PathOf(imageId);
        var entry = await _index.GetAsync(imageId, ct).ConfigureAwait(false);
        if (entry is null)
        {
            return null;
        }
        var checksum = entry.Checksum ?? expectedMd5;
        LocalImageFile file;
        try
        {
            file = checksum is null ? LocalImageFile.Open(path) : LocalImageFile.OpenChecked(path, checksum, () => QuarantineCachedAsync(imageId));
        }
        catch (FileNotFoundException)
        {
            await _index.RemoveAsync(imageId, ct).ConfigureAwait(false);
            return null;
        }
        if (file.Length != entry.Size || (expectedMd5 is not null && checksum is not null && !string.Equals(checksum, expectedMd5, StringComparison.OrdinalIgnoreCase)))
        {
            await file.DisposeAsync().ConfigureAwait(false);
            await QuarantineCachedAsync(imageId).ConfigureAwait(false);
            return null;
        }
        await _index.HitAsync(imageId, ct).ConfigureAwait(false);
        return file;
    }

    /// <summary>
    /// The caching tee: <paramref name="source"/> (owned by the returned stream) passes through to the caller while it
    /// is written to incomplete/; read to its end with the MD5 <paramref name="expectedMd5"/>, it moves into the cache,
    /// with another MD5 into invalid/ (and the read fails). When another reader is already caching the image, the
    /// source passes through, checked but not copied. With <paramref name="expectedSize"/> (the registry's), the read that
    /// hands out the last bytes returns only once they were checked and the copy is in the cache.
    /// </summary>
    public Stream OpenCaching(string imageId, string? expectedMd5, Stream source, long? expectedSize = null)
    {
        var incomplete = Path.Combine(Directory, Incomplete, FileName(imageId));
        FileStream copy;
        try
        {
            copy = new FileStream(incomplete, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);
        }
        catch (IOException) when (File.Exists(incomplete))
        {
            return new CheckedImageStream(source, expectedMd5, null, (_, _, _) => Task.CompletedTask, () => Task.CompletedTask, () => { }, expectedSize);
        }
        return new CheckedImageStream(source, expectedMd5, copy,
            async (size, md5, ct) =>
            {
                File.Move(incomplete, PathOf(imageId), overwrite: true);
                await _index.AddAsync(imageId, size, md5, ct).ConfigureAwait(false);
                DeleteIfExists(Path.Combine(Directory, Queue, FileName(imageId)));
            },
            () =>
            {
                MoveIfExists(incomplete, Path.Combine(Directory, Invalid, FileName(imageId)));
                return Task.CompletedTask;
            },
            () => DeleteIfExists(incomplete),
            expectedSize);
    }

    /// <summary>Cached images, most recently used first.</summary>
    public Task<List<CachedImage>> ListCachedAsync(CancellationToken ct) => _index.ListAsync(ct);

    /// <summary>Downloads in progress (or stalled).</summary>
    public IReadOnlyList<CacheEntryFile> ListIncomplete() => ListDir(Incomplete);

    /// <summary>Files whose checksum did not match.</summary>
    public IReadOnlyList<CacheEntryFile> ListInvalid() => ListDir(Invalid);

    /// <summary>Images queued for prefetching, oldest first.</summary>
    public IReadOnlyList<CacheEntryFile> ListQueued() => [.. ListDir(Queue).OrderBy(f => f.LastModified)];

    /// <summary>Whether <paramref name="imageId"/> is in the cache (not counted as a hit).</summary>
    public async Task<bool> IsCachedAsync(string imageId, CancellationToken ct) =>
        File.Exists(PathOf(imageId)) && await _index.GetAsync(imageId, ct).ConfigureAwait(false) is not null;

    /// <summary>Queues <paramref name="imageId"/> for the prefetcher; false when it is cached already.</summary>
    public async Task<bool> QueueAsync(string imageId, CancellationToken ct)
    {
        if (await IsCachedAsync(imageId, ct).ConfigureAwait(false))
        {
            return false;
        }
        var queued = Path.Combine(Directory, Queue, FileName(imageId));
        if (!File.Exists(queued))
        {
            await File.WriteAllBytesAsync(queued, [], ct).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>Takes <paramref name="imageId"/> off the prefetch queue; false when it was not queued.</summary>
    public bool Dequeue(string imageId) => DeleteIfExists(Path.Combine(Directory, Queue, FileName(imageId)));

    /// <summary>Removes one cached image (and its queue entry); false when it was neither cached nor queued.</summary>
    public async Task<bool> DeleteAsync(string imageId, CancellationToken ct)
    {
        var indexed = await _index.GetAsync(imageId, ct).ConfigureAwait(false) is not null;
        await _index.RemoveAsync(imageId, ct).ConfigureAwait(false);
        var deleted = DeleteIfExists(PathOf(imageId));
        return Dequeue(imageId) | deleted | indexed;
    }

    /// <summary>Removes every cached image; returns how many there were. Downloads in progress and the queue stay.</summary>
    public async Task<int> ClearAsync(CancellationToken ct)
    {
        var cached = await _index.ListAsync(ct).ConfigureAwait(false);
        foreach (var image in cached)
        {
            await DeleteAsync(image.ImageId, ct).ConfigureAwait(false);
        }
        return cached.Count;
    }

    /// <summary>Deletes invalid files older than <paramref name="grace"/> (default: all); returns how many.</summary>
    public int ReapInvalid(TimeSpan? grace = null) => Reap(Invalid, grace ?? TimeSpan.Zero);

    /// <summary>Deletes incomplete downloads untouched for <paramref name="grace"/> (default: image_cache_stall_time); returns how many.</summary>
    public int ReapStalled(TimeSpan? grace = null) => Reap(Incomplete, grace ?? StallTime);

    /// <summary>Evicts least recently used images until the cache holds at most <see cref="MaxSize"/> bytes.</summary>
    public async Task<PruneResult> PruneAsync(CancellationToken ct)
    {
        var size = await _index.TotalSizeAsync(ct).ConfigureAwait(false);
        var (evicted, freed) = (0, 0L);
        foreach (var image in await _index.LeastRecentlyUsedAsync(ct).ConfigureAwait(false))
        {
            if (size - freed <= MaxSize)
            {
                break;
            }
            await DeleteAsync(image.ImageId, ct).ConfigureAwait(false);
            evicted++;
            freed += image.Size;
        }
        return new PruneResult(evicted, freed, size - freed);
    }

    private string PathOf(string imageId) => Path.Combine(Directory, FileName(imageId));

    /// <summary>Image ids become file names: only letters, digits, '-' and '_', and never a name the cache uses itself.</summary>
    private static string FileName(string imageId) =>
        imageId.Length is > 0 and <= 255 && imageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && imageId is not (Incomplete or Invalid or Queue)
            ? imageId
            : throw CloudException.Invalid($"'{imageId}' is not an image id");

    private async Task QuarantineCachedAsync(string imageId)
    {
        await _index.RemoveAsync(imageId, CancellationToken.None).ConfigureAwait(false);
        MoveIfExists(PathOf(imageId), Path.Combine(Directory, Invalid, FileName(imageId)));
    }

    private List<CacheEntryFile> ListDir(string sub) =>
        [.. new DirectoryInfo(Path.Combine(Directory, sub)).EnumerateFiles()
            .Select(f => new CacheEntryFile(f.Name, f.Length, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))
            .OrderBy(f => f.ImageId, StringComparer.Ordinal)];

    private int Reap(string sub, TimeSpan grace)
    {
        var now = _clock.GetUtcNow();
        return ListDir(sub).Count(f => (grace <= TimeSpan.Zero || now - f.LastModified >= grace) && DeleteIfExists(Path.Combine(Directory, sub, f.ImageId)));
    }

    private static bool DeleteIfExists(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        File.Delete(path);
        return true;
    }

    private static void MoveIfExists(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: true);
        }
        catch (FileNotFoundException)
        {
            // Already gone: nothing to keep.
        }
    }
}
