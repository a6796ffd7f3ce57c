using System.Buffers;
using System.Net;
using Cloud.Modules.Swift.Common.Ring;

namespace Cloud.Modules.Swift.Proxy;

/// <summary>
/// One object body written to every replica at once as it arrives from the client, as swift's proxy streams each chunk
/// to its object server connections: no spool to a temporary file first, and no MD5 taken by the proxy (as swift's
/// replicated policies: each object server hashes what it receives, checks it against the client's ETag and answers its
/// MD5, and <see cref="ReplicaEtags"/> checks that the replicas agree: a fourth MD5 pass over the body here was
/// redundant). Each replica has the node timeout for each chunk it takes and for its answer after the last (swift's
/// node_timeout, not one timeout on the whole upload, which may be as slow as the client; waiting for the client's next
/// bytes counts for no replica); one that fails is dropped and answers null, the others go on. The object servers check
/// the ETag they are sent (the client's) before they commit, and fsync before their 201: the replicas the caller's
/// quorum counts hold the whole body durably.
/// </summary>
public static class ProxyReplicaUpload
{
    // Large enough that a big upload takes few reads and writes, pooled so a small one allocates nothing.
    private const int MaxChunk = 1024 * 1024;

    /// <summary>
    /// What the replicas answered (null where one failed) and the length of what was read;
    /// <paramref name="QuorumLost"/> when fewer than a quorum of replicas were still taking the body, so every one was
    /// abandoned before the body ended (no replica commits; the rest of the client's body is left unread).
    /// </summary>
    public sealed record Result(HttpResponseMessage?[] Answers, long Length, bool QuorumLost = false);

    /// <summary>
    /// PUTs <paramref name="body"/> (<paramref name="length"/> bytes) to every node; <paramref name="describe"/> sets
    /// each replica's headers (the content's own headers too: its Content-Length is set). A failure to read the
    /// client's body (an IOException) is thrown once every replica's request has been abandoned.
    /// </summary>
    public static async Task<Result> SendAsync(
        SwiftBackend backend, IReadOnlyList<RingDevice> nodes, Func<RingDevice, string> pathOf, long length,
        Action<int, HttpRequestMessage> describe, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(body);
        var count = nodes.Count;
        var replicas = new Replica[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            var replica = replicas[i] = new Replica(length, CancellationTokenSource.CreateLinkedTokenSource(cancellationToken));
            replica.Step.CancelAfter(backend.NodeTimeout);
            replica.Answer = backend.SendStreamingAsync(nodes[i], "PUT", pathOf(nodes[i]), m =>
            {
                m.Content = replica.Body;
                describe(index, m);
            }, replica.Step.Token);
        }
        // Two buffers: the client's next bytes are read into one while the other is written to the replicas.
        var size = (int)Math.Clamp(length, 1, MaxChunk);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var spare = ArrayPool<byte>.Shared.Rent(size);
        Task sending = Task.CompletedTask;
        try
        {
            foreach (var replica in replicas)
            {
                // A node that cannot be reached answers (null) without ever asking for the body.
                await Task.WhenAny(replica.Body.Opened, replica.Answer!).ConfigureAwait(false);
                replica.Stream = replica.Body.Opened.IsCompletedSuccessfully ? replica.Body.Opened.Result : null;
            }
            var writes = new Task[count];
            var quorum = SwiftProxyHeaders.QuorumOf(count);
            long total = 0;
            while (true)
            {
                // Kestrel hands the body over in small pieces: gathered into one large chunk, the replicas get few large writes.
                var read = await FillAsync(body, buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                await sending.ConfigureAwait(false);
                if (replicas.Count(r => r.Stream is not null) < quorum)
                {
                    // As swift's proxy (_check_min_conn): a write that can no longer reach a quorum stops here, and the
                    // replicas still taking it are abandoned, so none keeps an object the client is told failed.
                    return await AbandonAllAsync(replicas, total).ConfigureAwait(false);
                }
                if (read == 0)
                {
                    break;
                }
                total += read;
                for (var i = 0; i < count; i++)
                {
                    writes[i] = replicas[i].WriteAsync(buffer.AsMemory(0, read), backend.NodeTimeout);
                }
                sending = Task.WhenAll(writes);
                (buffer, spare) = (spare, buffer);
            }
            foreach (var replica in replicas)
            {
                replica.Step.CancelAfter(backend.NodeTimeout);
                replica.Body.Finish();
            }
            var answers = await Task.WhenAll(replicas.Select(r => r.Answer!)).ConfigureAwait(false);
            return new Result(answers, total);
        }
        catch
        {
            // The client's body failed (or the client went away): no replica may commit a part of it.
            foreach (var replica in replicas)
            {
                replica.Abandon(new IOException("The client's upload failed."));
            }
            foreach (var answer in await Task.WhenAll(replicas.Select(r => r.Answer!)).ConfigureAwait(false))
            {
                answer?.Dispose();
            }
            throw;
        }
        finally
        {
            // The writes hold a buffer until they end (they only fail, never throw).
            await sending.ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(spare);
            foreach (var replica in replicas)
            {
                replica.Step.Dispose();
            }
        }
    }

    private static async Task<Result> AbandonAllAsync(Replica[] replicas, long read)
    {
        foreach (var replica in replicas)
        {
            replica.Abandon(new IOException("Fewer than a quorum of replicas are taking the upload."));
        }
        foreach (var answer in await Task.WhenAll(replicas.Select(r => r.Answer!)).ConfigureAwait(false))
        {
            answer?.Dispose();
        }
        return new Result(new HttpResponseMessage?[replicas.Length], read, QuorumLost: true);
    }

    /// <summary>Reads until <paramref name="chunk"/> is full or the body ends; how many bytes it holds.</summary>
    private static async Task<int> FillAsync(Stream body, Memory<byte> chunk, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < chunk.Length)
        {
            var read = await body.ReadAsync(chunk[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }

    /// <summary>One replica's request: its body, the stream the connection gave it, and the token that times each step.</summary>
    private sealed class Replica(long length, CancellationTokenSource step)
    {
        public ReplicaBody Body { get; } = new(length);

        public CancellationTokenSource Step { get; } = step;

        public Task<HttpResponseMessage?>? Answer { get; set; }

        // Null once it failed (or never asked for the body).
        public Stream? Stream { get; set; }

        public async Task WriteAsync(ReadOnlyMemory<byte> chunk, TimeSpan timeout)
        {
            if (Stream is not { } stream)
            {
                return;
            }
            try
            {
                Step.CancelAfter(timeout);
                await stream.WriteAsync(chunk, Step.Token).ConfigureAwait(false);
                // Waiting for the client's next bytes is the client's time (Kestrel's minimum data rate), not this replica's.
                Step.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException or ObjectDisposedException)
            {
                // Down, reset or too slow: this replica's answer is a missing one; the others go on.
                Abandon(e);
            }
        }

        public void Abandon(Exception reason)
        {
            Stream = null;
            Body.Fail(reason);
            try
            {
                Step.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already finished.
            }
        }
    }

    /// <summary>A request body whose bytes the upload writes into the connection's stream as they arrive.</summary>
    private sealed class ReplicaBody : HttpContent
    {
        private readonly TaskCompletionSource<Stream> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ReplicaBody(long length) => Headers.ContentLength = length;

        /// <summary>The connection's stream, once the request's headers went and the body may follow.</summary>
        public Task<Stream> Opened => _opened.Task;

        public void Finish() => _done.TrySetResult();

        public void Fail(Exception reason) => _done.TrySetException(reason);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            // Sent once: a retry on another connection cannot have the bytes already written, so it fails instead.
            _opened.TrySetResult(stream) ? _done.Task : throw new IOException("A streamed replica body cannot be sent twice.");

        protected override bool TryComputeLength(out long length)
        {
            length = Headers.ContentLength ?? 0;
            return true;
        }
    }
}
