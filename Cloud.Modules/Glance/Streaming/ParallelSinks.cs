using System.Buffers;
using System.Threading.Channels;

namespace Cloud.Modules.Glance.Streaming;

/// <summary>
/// Feeds the bytes of a stream to several <see cref="IChunkSink"/>s, each on a task of its own, so hashing and writing a
/// copy run on other cores than the request's thread instead of one after the other on it (a 1 GiB upload spent its time
/// in MD5 then SHA-512 on one core). Each chunk is copied once into a pooled buffer shared by all sinks; each sink
/// has a bounded queue (<c>depth</c> chunks), so a slow sink holds the writer back instead of growing memory.
/// A sink that throws is fed nothing more; <see cref="CompleteAsync"/> rethrows its failure. Disposing before
/// <see cref="CompleteAsync"/> abandons the data: the sinks are fed nothing more and never completed.
/// </summary>
public sealed class ParallelSinks : IAsyncDisposable, IDisposable
{
    private readonly Channel<Chunk>[] _queues;
    private readonly Task[] _workers;
    private volatile bool _abandoned;
    private bool _completed;

    public ParallelSinks(IReadOnlyList<IChunkSink> sinks, int depth = 8)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _queues = [.. sinks.Select(_ => Channel.CreateBounded<Chunk>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true }))];
        _workers = [.. sinks.Select((sink, i) => Task.Run(() => DrainAsync(sink, _queues[i].Reader)))];
    }

    /// <summary>Hands a copy of <paramref name="data"/> to every sink; waits only while a sink's queue is full.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            return;
        }
        var chunk = new Chunk(data, _queues.Length);
        foreach (var queue in _queues)
        {
            if (!queue.Writer.TryWrite(chunk))
            {
                try
                {
                    await queue.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
                {
                    chunk.Release();
                    throw;
                }
            }
        }
    }

    /// <summary>The data ended: waits until every sink has taken all of it and completed; throws a sink's failure.</summary>
    public async Task CompleteAsync()
    {
        _completed = true;
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            _abandoned = true;
            foreach (var queue in _queues)
            {
                queue.Writer.TryComplete();
            }
        }
        try
        {
            await Task.WhenAll(_workers).ConfigureAwait(false);
        }
        catch (Exception) when (_abandoned || _completed)
        {
            // CompleteAsync reported the sink's failure already, or the data was abandoned and it matters to no one.
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task DrainAsync(IChunkSink sink, ChannelReader<Chunk> queue)
    {
        Exception? failure = null;
        await foreach (var chunk in queue.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (failure is null && !_abandoned)
                {
                    sink.Write(chunk.Span);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                chunk.Release();
            }
        }
        if (failure is not null)
        {
            throw failure;
        }
        if (!_abandoned)
        {
            sink.Complete();
        }
    }

    /// <summary>One pooled copy of a chunk, returned to the pool when the last sink is done with it.</summary>
    private sealed class Chunk
    {
        private readonly byte[] _buffer;
        private readonly int _length;
        private int _readers;

        public Chunk(ReadOnlyMemory<byte> data, int readers)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(data.Length);
            data.Span.CopyTo(_buffer);
            _length = data.Length;
            _readers = readers;
        }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

        public void Release()
        {
            if (Interlocked.Decrement(ref _readers) == 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }
        }
    }
}
