using Microsoft.AspNetCore.Http;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Sends part of an object's file as a response body, read straight into Kestrel's output buffers: no copy buffer of
/// our own and no second copy (Kestrel has no sendfile, so one copy from the page cache is the floor). A GET of a
/// 4 KiB object used to allocate 128 KiB (a FileStream buffer and a copy buffer).
/// </summary>
internal static class ObjectBodyCopy
{
    // Read and flush in pieces of this size: large enough for few system calls, small enough to stream.
    private const int Piece = 64 * 1024;

    /// <summary>Writes bytes [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="data"/> to <paramref name="response"/>.</summary>
    /// <exception cref="IOException">The file ended before <paramref name="end"/> (truncated underneath us): the answer ends short.</exception>
    public static async Task ToResponseAsync(Stream data, long start, long end, HttpResponse response, CancellationToken cancellationToken)
    {
        data.Seek(start, SeekOrigin.Begin);
        var writer = response.BodyWriter;
        var count = end - start;
        while (count > 0)
        {
            var want = (int)Math.Min(Piece, count);
            var memory = writer.GetMemory(want);
            var read = await data.ReadAsync(memory[..Math.Min(want, memory.Length)], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("Object data ended early");
            }
            writer.Advance(read);
            count -= read;
            var flushed = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                // The client has gone: nothing more can be sent.
                return;
            }
        }
    }
}
