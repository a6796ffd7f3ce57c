namespace Cloud.Modules.Glance.Streaming;

/// <summary>
/// One consumer of a stream's bytes fed by <see cref="ParallelSinks"/> on a task of its own: a hash, a cache file.
/// Its calls never overlap; <see cref="Complete"/> follows the last <see cref="Write"/> only when the data ended whole.
/// </summary>
public interface IChunkSink
{
    /// <summary>Takes the next bytes of the data, in order.</summary>
    void Write(ReadOnlySpan<byte> data);

    /// <summary>The data ended: finish (a hash's value, a file's fsync).</summary>
    void Complete();
}
