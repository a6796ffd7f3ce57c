using Cloud.Modules.Glance.Streaming;
using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// The <c>filesystem</c> store (glance_store's file driver): one file per image in <c>filesystem_store_datadir</c>,
/// named by the image id. An upload goes to a hidden temporary file (written direct in aligned chunks,
/// <see cref="OverlappedFileCopy"/>), is fsynced, then renamed into place without
/// overwriting, and the directory is fsynced: readers never see a partial image, a crash leaves only a temp file.
/// <para>
/// Reads are direct too (<see cref="DirectReadAhead"/>, a few chunks ahead of the sender). On this project's VMs a page
/// new to the page cache is the dearest part of moving an image (1 GiB: ~2 CPU-s of system time written buffered,
/// ~1.25–1.8 read buffered and cold, against ~0.1 either way direct), and an image is written once and read by hosts
/// that keep their own copy: caching it here would cost every upload or first download that price for a second read
/// that seldom comes. A download therefore runs at the disk's pace, not the page cache's.
/// </para>
/// </summary>
public sealed class FileImageStore(string dataDir) : IImageStore
{
    private const int ChunkSize = AlignedBuffers.Size;

    public string Scheme => "file";

    /// <summary>The directory holding the images.</summary>
    public string DataDir { get; } = Path.GetFullPath(dataDir);

    public async Task<StoredImage> AddAsync(string imageId, Stream data, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        var target = PathOf(imageId);
        Directory.CreateDirectory(DataDir);
        if (File.Exists(target))
        {
            throw CloudException.Conflict($"Image {imageId} already has data in the file store.");
        }
        var temp = Path.Combine(DataDir, $".{imageId}.{Guid.NewGuid():N}.tmp");
        try
        {
            long size;
            // Unbuffered: the chunks are large already, and each is written where it arrived.
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var writeback = new EarlyWriteback(file.SafeFileHandle);
                try
                {
                    size = await OverlappedFileCopy.CopyAsync(data, new DirectChunkWriter(file.SafeFileHandle, writeback), ChunkSize, ct).ConfigureAwait(false);
                }
                finally
                {
                    await writeback.WhenIdleAsync().ConfigureAwait(false);
                }
                // The durability point, direct writes or not: the data's extents and the disk's cache.
                file.Flush(flushToDisk: true);
            }
            try
            {
                // Without overwrite .NET links then unlinks, so a racing upload of the same id cannot be replaced.
                File.Move(temp, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                throw CloudException.Conflict($"Image {imageId} already has data in the file store.");
            }
            DirectorySync.Fsync(DataDir);
            return new StoredImage(new Uri(target).AbsoluteUri, size);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The image's file read in place and direct (<see cref="LocalImageFile"/>): no page cache, no copy through a cache.</summary>
    public Task<Stream> OpenAsync(string location, long offset, long? length, CancellationToken ct)
    {
        var path = LocalPath(location);
        try
        {
            return Task.FromResult<Stream>(LocalImageFile.Open(path, offset, length, direct: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CloudException.NotFound($"No image data at {location}.");
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw CloudException.Invalid(e.Message.Split(" (Parameter")[0]);
        }
    }

    public Task DeleteAsync(string location, CancellationToken ct)
    {
        File.Delete(LocalPath(location));
        return Task.CompletedTask;
    }

    private string PathOf(string imageId)
    {
        // Ids become file names: nothing that could climb out of the directory or hide as a temp file.
        if (imageId.Length == 0 || imageId[0] == '.' || !imageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw CloudException.Invalid($"'{imageId}' cannot name an image file.");
        }
        return Path.Combine(DataDir, imageId);
    }

    private static string LocalPath(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.IsFile
            ? uri.LocalPath
            : throw CloudException.Invalid($"'{location}' is not a file store location.");
}
