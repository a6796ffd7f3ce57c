using Cloud.Modules.Swift.Storage.DiskFile;

namespace Cloud.Modules.Swift.Storage.Updater;

/// <summary>
/// Container updates that could not be delivered, one file each under
/// <c>&lt;device&gt;/async_pending/&lt;suffix&gt;/&lt;hash&gt;-&lt;timestamp&gt;</c> as swift lays them out.
/// </summary>
public static class AsyncPendings
{
    /// <summary>The directory under a device.</summary>
    public const string DirectoryName = "async_pending";

    /// <summary>Queues <paramref name="update"/> of the object <paramref name="hash"/> on <paramref name="devicePath"/>; returns the file's path.</summary>
    public static string Write(string devicePath, string hash, ContainerUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var directory = Path.Combine(devicePath, DirectoryName, hash[^3..]);
        Directory.CreateDirectory(directory);
        var (handle, temp) = TempFiles.Create(Path.Combine(devicePath, "tmp"));
        using (handle)
        {
            RandomAccess.Write(handle, update.ToJson(), 0);
            RandomAccess.FlushToDisk(handle);
        }
        var path = Path.Combine(directory, $"{hash}-{update.Timestamp}");
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>The pending files of a device, oldest suffix first.</summary>
    public static IEnumerable<string> Under(string devicePath)
    {
        var root = Path.Combine(devicePath, DirectoryName);
        if (!Directory.Exists(root))
        {
            return [];
        }
        return Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal)
            .SelectMany(suffix => Directory.EnumerateFiles(suffix).Order(StringComparer.Ordinal));
    }

    /// <summary>Removes a delivered update, and its suffix directory once empty.</summary>
    public static void Remove(string path)
    {
        File.Delete(path);
        var suffix = Path.GetDirectoryName(path)!;
        try
        {
            if (!Directory.EnumerateFileSystemEntries(suffix).Any())
            {
                Directory.Delete(suffix);
            }
        }
        catch (IOException)
        {
            // A new pending arrived meanwhile.
        }
    }
}
