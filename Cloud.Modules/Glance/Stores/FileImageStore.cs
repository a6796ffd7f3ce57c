using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Glance.Stores;

/// <summary>
/// The <c>filesystem</c> store (glance_store's file driver): one file per image in <c>filesystem_store_datadir</c>,
/// named by the image id. An upload goes to a hidden temporary file, is fsynced, then renamed into place without
/// overwriting, and the directory is fsynced: readers never see a partial image, a crash leaves only a temp file.
/// </summary>
public sealed class FileImageStore(string dataDir) : IImageStore
{
    private const int BufferSize = 1 << 20;

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
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await data.CopyToAsync(file, BufferSize, ct).ConfigureAwait(false);
                await file.FlushAsync(ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                size = file.Length;
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

    public Task<Stream> OpenAsync(string location, long offset, long? length, CancellationToken ct)
    {
        var path = LocalPath(location);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CloudException.NotFound($"No image data at {location}.");
        }
        if (offset < 0 || offset > file.Length || length < 0)
        {
            var size = file.Length;
            file.Dispose();
            throw CloudException.Invalid($"Range {offset}+{length} is outside the image's {size} bytes.");
        }
        file.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(length is { } n ? new BoundedReadStream(file, Math.Min(n, file.Length - offset)) : file);
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
