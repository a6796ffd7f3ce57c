using Cloud.Modules.Glance.Streaming;

namespace Cloud.Modules.Glance.Cache;

/// <summary>
/// The cache's copy of an image being downloaded (the file in incomplete/), written on a task of its own, so the reader
/// never waits for the disk. Not fsynced, as glance's cache: every read of a cached file checks its size and MD5, so a
/// copy torn by a crash is found and quarantined, never served. A failing write (a full cache disk) drops the copy
/// instead of breaking the reader's download: the image is just not cached this time.
/// </summary>
public sealed class CacheFileSink(FileStream copy) : IChunkSink, IDisposable
{
    /// <summary>Whether the copy was given up after a failed write; the file is then incomplete.</summary>
    public bool Dropped { get; private set; }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (Dropped)
        {
            return;
        }
        try
        {
            copy.Write(data);
        }
        catch (IOException)
        {
            Drop();
        }
    }

    public void Complete()
    {
        if (Dropped)
        {
            return;
        }
        try
        {
            copy.Flush();
            copy.Dispose();
        }
        catch (IOException)
        {
            Drop();
        }
    }

    public void Dispose() => copy.Dispose();

    private void Drop()
    {
        Dropped = true;
        try
        {
            copy.Dispose();
        }
        catch (IOException)
        {
            // Flushing the buffered rest failed too: the copy is dropped either way.
        }
    }
}
