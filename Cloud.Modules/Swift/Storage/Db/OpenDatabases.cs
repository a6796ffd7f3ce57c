using Cloud.Modules.Kernel.IO;

namespace Cloud.Modules.Swift.Storage.Db;

/// <summary>
/// Handles to database files kept open between uses, one user at a time per file: <see cref="Take"/> hands out the
/// file's handle (opening one when none is kept) and <see cref="Return"/> keeps it for the next use. A handle is
/// closed once idle for <c>idle</c>, when more than <c>capacity</c> are kept (the least recently used first), and
/// whenever its file was deleted or replaced under the same name (another process or the replicator removed it):
/// the file's identity is checked at each take, and by the user with <see cref="Lease.IsCurrent"/> once it holds
/// the file's lock.
/// </summary>
internal sealed class OpenDatabases<TDb> : IDisposable where TDb : class, IDisposable
{
    private readonly Func<string, TDb?> _open;
    private readonly int _capacity;
    private readonly TimeSpan _idle;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, Kept> _kept = new(StringComparer.Ordinal);
    private readonly ITimer _sweeper;
    private bool _disposed;

    /// <summary><paramref name="open"/> opens a file's handle (null when there is no such file).</summary>
    public OpenDatabases(Func<string, TDb?> open, int capacity, TimeSpan idle, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _open = open;
        _capacity = capacity;
        _idle = idle;
        _clock = clock;
        _sweeper = clock.CreateTimer(_ => CloseIdle(), null, idle, idle);
    }

    /// <summary>How many handles are kept (not counting those taken).</summary>
    public int KeptCount
    {
        get
        {
            lock (_kept)
            {
                return _kept.Count;
            }
        }
    }

    /// <summary>The handle to <paramref name="file"/>, the caller's alone until it returns or drops it; null when the file does not exist.</summary>
    public Lease? Take(string file)
    {
        Kept? kept;
        lock (_kept)
        {
            _kept.Remove(file, out kept);
        }
        var identity = FileIdentity.Of(file);
        if (kept is not null)
        {
            if (kept.Identity == identity)
            {
                return new Lease(file, kept.Db, kept.Identity);
            }
            kept.Db.Dispose();
        }
        // Opened between two looks at the file: the same identity both times means the handle is on that file.
        for (var attempt = 0; identity is not null && attempt < 3; attempt++)
        {
            var db = _open(file);
            if (db is null)
            {
                return null;
            }
            var after = FileIdentity.Of(file);
            if (after == identity)
            {
                return new Lease(file, db, after.Value);
            }
            db.Dispose();
            identity = after;
        }
        return null;
    }

    /// <summary>Keeps the lease's handle for the next <see cref="Take"/> of its file.</summary>
    public void Return(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        List<TDb> close = [];
        lock (_kept)
        {
            if (_disposed)
            {
                close.Add(lease.Db);
            }
            else
            {
                if (_kept.Remove(lease.File, out var other))
                {
                    close.Add(other.Db);
                }
                _kept.Add(lease.File, new Kept(lease.Db, lease.Identity, _clock.GetTimestamp()));
                while (_kept.Count > _capacity)
                {
                    var oldest = _kept.MinBy(k => k.Value.LastUsed);
                    _kept.Remove(oldest.Key);
                    close.Add(oldest.Value.Db);
                }
            }
        }
        close.ForEach(db => db.Dispose());
    }

    /// <summary>Closes the lease's handle rather than keeping it (after an error that may have left it unusable).</summary>
    public void Drop(Lease lease) => lease?.Db.Dispose();

    /// <summary>Closes the handles unused for the idle time.</summary>
    public void CloseIdle()
    {
        List<TDb> close = [];
        lock (_kept)
        {
            foreach (var (file, kept) in _kept.Where(k => _clock.GetElapsedTime(k.Value.LastUsed) >= _idle).ToList())
            {
                _kept.Remove(file);
                close.Add(kept.Db);
            }
        }
        close.ForEach(db => db.Dispose());
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        List<TDb> close;
        lock (_kept)
        {
            _disposed = true;
            close = _kept.Values.Select(k => k.Db).ToList();
            _kept.Clear();
        }
        close.ForEach(db => db.Dispose());
    }

    /// <summary>A taken handle and the identity of the file it was opened on.</summary>
    public sealed class Lease(string file, TDb db, FileIdentity identity)
    {
        public string File => file;

        public TDb Db => db;

        public FileIdentity Identity => identity;

        /// <summary>Whether the path still names the file this handle has open (false once it was deleted or replaced).</summary>
        public bool IsCurrent() => FileIdentity.Of(file) == identity;
    }

    private sealed record Kept(TDb Db, FileIdentity Identity, long LastUsed);
}
