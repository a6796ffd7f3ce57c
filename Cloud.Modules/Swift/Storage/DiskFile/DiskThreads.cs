using System.Collections.Concurrent;

namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// The <see cref="DeviceThreads"/> of every device this server writes to, made on a device's first write and stopped
/// with the server (after its HTTP servers, so no request is left waiting). With <c>swift_threads_per_disk</c> 0 the
/// work runs on the request's thread, as before these threads.
/// </summary>
public sealed class DiskThreads(SwiftStorageFlags flags) : IDisposable
{
    // Lazy: two first writes to a device at once must not both start threads.
    private readonly ConcurrentDictionary<string, Lazy<DeviceThreads>> _devices = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    /// <summary>The threads of the device at <paramref name="devicePath"/>; null when the flag asks for none.</summary>
    public DeviceThreads? For(string devicePath)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (flags.SwiftThreadsPerDisk == 0)
        {
            return null;
        }
        return _devices.GetOrAdd(devicePath, static (path, count) => new Lazy<DeviceThreads>(() => new DeviceThreads(Path.GetFileName(path), count)), flags.SwiftThreadsPerDisk).Value;
    }

    /// <summary>Runs <paramref name="work"/> on a thread of the device at <paramref name="devicePath"/>, or inline without threads.</summary>
    public Task RunAsync(string devicePath, Action work)
    {
        if (For(devicePath) is { } threads)
        {
            return threads.RunAsync(work);
        }
        work();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var device in _devices.Values)
        {
            if (device.IsValueCreated)
            {
                device.Value.Dispose();
            }
        }
    }
}
