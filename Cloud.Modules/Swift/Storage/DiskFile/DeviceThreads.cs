namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// A few threads of one device that do its blocking file-system work (swift's <c>threads_per_disk</c>): a commit's
/// xattr, fsyncs, partition lock and rename. A replica write spends milliseconds in fsync; on .NET's thread pool those
/// waits held the workers the network needed (6 running, 4 in fsync of 11), and a slow device held them for the others.
/// Here a request awaits its commit, and a device can only tie up its own threads. An idle thread sleeps on a monitor:
/// a BlockingCollection's semaphore spun before it slept, and under a stream of 4 KiB PUTs the storage process made
/// about 80 sched_yield calls per PUT (strace -c), CPU the two-core machine's other threads needed.
/// </summary>
public sealed class DeviceThreads : IDisposable
{
    // Guards _queue and _stopping; a thread waits on it for work.
    private readonly object _gate = new();
    private readonly Queue<DeviceWork> _queue = new();
    private bool _stopping;
    private readonly Thread[] _threads;
    private int _disposed;

    /// <param name="name">The device's name, in the threads' names (seen in a profile or a stack dump).</param>
    /// <param name="count">How many threads (at least one).</param>
    public DeviceThreads(string name, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"{ThreadNamePrefix}{name} #{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>What the name of each of these threads starts with.</summary>
    public const string ThreadNamePrefix = "swift-disk ";

    /// <summary>Runs <paramref name="work"/> on one of the device's threads; its exception, if any, comes out of the task.</summary>
    /// <exception cref="ObjectDisposedException">The threads have stopped (the server is shutting down).</exception>
    public Task RunAsync(Action work)
    {
        var item = new DeviceWork(work);
        Enqueue(item);
        return item.Task;
    }

    /// <summary>
    /// Runs every one of <paramref name="works"/>, concurrently where the device's threads are free, and returns when all
    /// are done. The calling thread works too: it runs the first, then takes back each one no thread has started (so a
    /// device thread waiting here never waits for work queued behind itself). The first exception is rethrown.
    /// </summary>
    public void RunAll(IReadOnlyList<Action> works)
    {
        if (works.Count == 1)
        {
            works[0]();
            return;
        }
        var items = new DeviceWork[works.Count - 1];
        for (var i = 1; i < works.Count; i++)
        {
            // Stopped threads (a shutdown under way) take nothing: the caller then runs it itself, below.
            items[i - 1] = new DeviceWork(works[i]);
            _ = TryEnqueue(items[i - 1]);
        }
        Exception? first = null;
        try
        {
            works[0]();
        }
        catch (Exception e)
        {
            first = e;
        }
        foreach (var item in items)
        {
            item.TryRun();
            try
            {
                item.Wait();
            }
            catch (Exception e)
            {
                first ??= e;
            }
        }
        if (first is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
    }

    private void Enqueue(DeviceWork item)
    {
        if (!TryEnqueue(item))
        {
            throw new ObjectDisposedException(nameof(DeviceThreads), "The device's threads have stopped.");
        }
    }

    private bool TryEnqueue(DeviceWork item)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return false;
            }
            _queue.Enqueue(item);
            Monitor.Pulse(_gate);
            return true;
        }
    }

    private void Work()
    {
        while (Next() is { } item)
        {
            item.TryRun();
        }
    }

    // The next queued work, waiting for one; null once the threads are stopping and nothing is left.
    private DeviceWork? Next()
    {
        lock (_gate)
        {
            while (_queue.Count == 0)
            {
                if (_stopping)
                {
                    return null;
                }
                Monitor.Wait(_gate);
            }
            return _queue.Dequeue();
        }
    }

    /// <summary>Lets the queued work finish, then stops the threads.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }
}
