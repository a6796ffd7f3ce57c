namespace Cloud.Modules.Swift.Storage.DiskFile;

/// <summary>
/// One piece of a device's blocking work (<see cref="DeviceThreads"/>), run exactly once by whichever thread claims it
/// first: a device thread, or the thread waiting for it (<see cref="DeviceThreads.RunAll"/>).
/// </summary>
internal sealed class DeviceWork(Action work)
{
    // The awaiting request goes on on the thread pool, never on the device's thread.
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Wait sleeps on this until the task is complete: a thread blocked on a Task spins first (Task.SpinThenBlockingWait,
    // sched_yield calls), and a commit's directory fsyncs waited that way on every new object.
    private readonly object _gate = new();
    private int _claimed;

    public Task Task => _done.Task;

    /// <summary>Runs the work unless another thread has claimed it.</summary>
    public void TryRun()
    {
        if (Interlocked.Exchange(ref _claimed, 1) != 0)
        {
            return;
        }
        try
        {
            work();
            _done.SetResult();
        }
        catch (Exception e)
        {
            _done.SetException(e);
        }
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Blocks until the work has run (on any thread) without spinning; rethrows its exception as it was thrown.</summary>
    public void Wait()
    {
        lock (_gate)
        {
            while (!_done.Task.IsCompleted)
            {
                Monitor.Wait(_gate);
            }
        }
        _done.Task.GetAwaiter().GetResult();
    }
}
