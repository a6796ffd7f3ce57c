using System.Buffers;

namespace Cloud.Modules.Kernel.Crypto;

/// <summary>
/// Hashes the whole blocks of concurrent <see cref="Md5Stream"/>s together, up to <see cref="Md5Rounds.MaxLanes"/> at
/// once (<see cref="Md5Rounds.Lanes"/>): MD5 is latency-bound, so three messages in lockstep cost about what one does.
/// Flat combining, no waiting for company: a writer whose blocks find nobody hashing hashes them itself, with any that
/// are queued or arrive meanwhile (they join at the next slice of 16 KiB); one alone runs the scalar rounds. A runner
/// whose own blocks are done hands what remains to a thread-pool thread, so no request waits on another's data.
/// </summary>
public sealed class Md5Combiner
{
    // Short enough that a writer arriving while others are hashed joins them within microseconds.
    private const int SliceBlocks = 256;

    private readonly Lock _gate = new();
    private readonly List<Job> _waiting = [];
    private readonly List<Job> _active = new(Md5Rounds.MaxLanes);
    private bool _running;

    /// <summary>The process's combiner: the more writers share it, the more run together.</summary>
    public static Md5Combiner Shared { get; } = new();

    /// <summary>Hashes <paramref name="blocks"/> (a multiple of 64 bytes) into <paramref name="stream"/>'s state.</summary>
    internal Task HashAsync(Md5Stream stream, ReadOnlyMemory<byte> blocks)
    {
        var job = new Job(stream, blocks);
        lock (_gate)
        {
            _waiting.Add(job);
            if (_running)
            {
                return job.Done.Task;
            }
            _running = true;
        }
        Run(job);
        return job.Done.Task;
    }

    // Runs the slices; a failure there (a bug: the rounds throw only on arguments no caller passes) must not leave the
    // combiner marked running, or every later hash in the process would wait forever: what is queued fails with it.
    private void Run(Job? own)
    {
        try
        {
            RunSlices(own);
        }
        catch (Exception e)
        {
            List<Job> failed;
            lock (_gate)
            {
                failed = [.. _active, .. _waiting];
                _active.Clear();
                _waiting.Clear();
                _running = false;
            }
            foreach (var job in failed)
            {
                job.Fail(e);
            }
        }
    }

    // Hashes until `own` is done (null: until nothing is left), then hands any rest to the thread pool.
    private unsafe void RunSlices(Job? own)
    {
        var states = new uint[4 * Md5Rounds.MaxLanes];
        var data = stackalloc byte*[Md5Rounds.MaxLanes];
        while (true)
        {
            lock (_gate)
            {
                // A stream's next blocks wait while its earlier ones are hashed: its state takes them in order.
                for (var i = 0; i < _waiting.Count && _active.Count < Md5Rounds.MaxLanes; i++)
                {
                    var next = _waiting[i];
                    if (!_active.Exists(job => job.Stream == next.Stream))
                    {
                        _active.Add(next);
                        _waiting.RemoveAt(i--);
                    }
                }
                if (_active.Count == 0)
                {
                    _running = false;
                    return;
                }
                if (own is { Done.Task.IsCompleted: true })
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static combiner => combiner.Run(null), this, preferLocal: false);
                    return;
                }
            }
            // Only the runner touches _active outside the lock's adds, and only one runs at a time.
            var lanes = _active.Count;
            var blocks = SliceBlocks;
            for (var i = 0; i < lanes; i++)
            {
                blocks = Math.Min(blocks, _active[i].Remaining);
            }
            if (lanes == 1)
            {
                var job = _active[0];
                Md5Rounds.Scalar(job.Stream.State, new ReadOnlySpan<byte>(job.Next, blocks * 64), blocks);
            }
            else
            {
                for (var i = 0; i < lanes; i++)
                {
                    _active[i].Stream.State.AsSpan(0, 4).CopyTo(states.AsSpan(4 * i));
                    data[i] = _active[i].Next;
                }
                Md5Rounds.Lanes(states, data, lanes, blocks);
                for (var i = 0; i < lanes; i++)
                {
                    states.AsSpan(4 * i, 4).CopyTo(_active[i].Stream.State);
                }
            }
            for (var i = lanes - 1; i >= 0; i--)
            {
                if (_active[i].Advance(blocks))
                {
                    _active.RemoveAt(i);
                }
            }
        }
    }

    private sealed unsafe class Job(Md5Stream stream, ReadOnlyMemory<byte> blocks)
    {
        private readonly MemoryHandle _pin = blocks.Pin();
        private int _done;

        public Md5Stream Stream { get; } = stream;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Remaining => blocks.Length / 64 - _done;

        public byte* Next => (byte*)_pin.Pointer + 64 * _done;

        public void Fail(Exception e)
        {
            _pin.Dispose();
            Done.TrySetException(e);
        }

        // True once every block is hashed: the pin is let go and the writer resumes.
        public bool Advance(int count)
        {
            _done += count;
            if (Remaining > 0)
            {
                return false;
            }
            _pin.Dispose();
            Done.TrySetResult();
            return true;
        }
    }
}
