using Cloud.Modules.Swift.Storage.Db;
using Microsoft.Data.Sqlite;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Group commit of object rows per container database. Every object PUT or DELETE sends one row to each container
/// replica; under concurrent writes to one container they used to queue on SQLite's write lock (busy_timeout sleeps
/// of 1 ms to 100 ms) and commit one by one. Here the rows waiting for one database file are merged by a single
/// writer in one transaction, and each request is answered only once the transaction holding its row has committed:
/// an error fails every request of the batch, so each object server keeps its update as an async pending, as before.
/// </summary>
internal sealed class ContainerRowCommitter : IDisposable
{
    // Enough to drain a burst in a few transactions, small enough to keep one transaction short.
    private const int MaxBatch = 256;

    // Databases written to in the last seconds keep their connection; a storage node's hot containers are few.
    private const int KeptDatabases = 64;
    private static readonly TimeSpan KeptIdle = TimeSpan.FromSeconds(10);

    private readonly OpenDatabases<RowWriter> _databases = new(RowWriter.Open, KeptDatabases, KeptIdle, TimeProvider.System);

    private readonly Dictionary<string, FileQueue> _queues = new(StringComparer.Ordinal);
    private readonly Func<SqliteConnection, SqliteTransaction, Task> _checkLive;

    /// <param name="checkLive">Throws (a 404) when the database's container counts as deleted; runs in each batch's transaction.</param>
    public ContainerRowCommitter(Func<SqliteConnection, SqliteTransaction, Task> checkLive) => _checkLive = checkLive;

    /// <summary>Merges <paramref name="row"/> into the database at <paramref name="file"/>; completes once it is committed.</summary>
    public Task MergeAsync(string file, ObjectRowChange row)
    {
        var waiting = new Waiting(row);
        bool lead;
        lock (_queues)
        {
            if (!_queues.TryGetValue(file, out var queue))
            {
                queue = new FileQueue();
                _queues.Add(file, queue);
            }
            queue.Rows.Add(waiting);
            lead = !queue.Committing;
            queue.Committing = true;
        }
        return lead ? LeadAsync(file, waiting) : waiting.Done.Task;
    }

    // The first writer commits the batch holding its own row on its own thread, and hands what queued meanwhile to a
    // committer of its own. A lone row was a Task.Run to the committer and a continuation back (two thread-pool
    // wake-ups, each followed by the pool's spinning: sched_yield was a fifth of the storage node's samples under
    // small PUTs); a leader waiting on later batches too would answer late.
    private async Task LeadAsync(string file, Waiting waiting)
    {
        if (await CommitNextAsync(file).ConfigureAwait(false))
        {
            _ = Task.Run(() => CommitLoopAsync(file));
        }
        // Its batch is done, so this completes at once (or throws the batch's failure).
        await waiting.Done.Task.ConfigureAwait(false);
    }

    private async Task CommitLoopAsync(string file)
    {
        while (await CommitNextAsync(file).ConfigureAwait(false))
        {
        }
    }

    // Commits the oldest waiting rows of file (up to MaxBatch, so the leader's row, the first of a new queue, is in
    // its first batch); returns whether more are waiting. Called only while rows wait: a leader's, or those it saw.
    private async Task<bool> CommitNextAsync(string file)
    {
        List<Waiting> batch;
        lock (_queues)
        {
            var queue = _queues[file];
            var take = Math.Min(queue.Rows.Count, MaxBatch);
            batch = queue.Rows.GetRange(0, take);
            queue.Rows.RemoveRange(0, take);
        }
        try
        {
            await CommitAsync(file, batch).ConfigureAwait(false);
            batch.ForEach(w => w.Done.TrySetResult());
        }
        catch (Exception e)
        {
            // Every failure goes back to the requests of the batch, which answer it (a 404, or a 500).
            batch.ForEach(w => w.Done.TrySetException(e));
        }
        lock (_queues)
        {
            if (_queues[file].Rows.Count > 0)
            {
                return true;
            }
            // Nothing left: forget the file, so the table holds only databases being written to.
            _queues.Remove(file);
            return false;
        }
    }

    private async Task CommitAsync(string file, List<Waiting> batch)
    {
        // Twice at most: a handle whose file was replaced under its name is closed and the batch goes to the new file.
        for (var attempt = 0; ; attempt++)
        {
            var lease = _databases.Take(file) ?? throw DatabaseServerHttp.NotFound();
            bool committed;
            try
            {
                committed = await TryCommitAsync(lease, batch).ConfigureAwait(false);
            }
            catch
            {
                _databases.Drop(lease);
                throw;
            }
            if (committed)
            {
                _databases.Return(lease);
                return;
            }
            _databases.Drop(lease);
            if (attempt > 0 || !File.Exists(file))
            {
                // A replicator removed this synced handoff copy while we waited for its lock: the rows must not go into
                // the unlinked file. The senders queue their updates and deliver them to the primaries.
                throw DatabaseServerHttp.NotFound();
            }
        }
    }

    // False, with nothing written, when the handle's file is no longer the one at its path.
    private async Task<bool> TryCommitAsync(OpenDatabases<RowWriter>.Lease lease, List<Waiting> batch)
    {
        var writer = lease.Db;
        using var tx = writer.Connection.BeginTransaction();
        // Checked while holding the write lock: a replicator deletes a database only while holding it.
        if (!lease.IsCurrent())
        {
            return false;
        }
        await _checkLive(writer.Connection, tx).ConfigureAwait(false);
        foreach (var waiting in batch)
        {
            await writer.MergeAsync(tx, waiting.Row).ConfigureAwait(false);
        }
        tx.Commit();
        return true;
    }

    /// <summary>Closes the kept database handles.</summary>
    public void Dispose() => _databases.Dispose();

    /// <summary>
    /// A container database's connection and its compiled upsert, kept between batches: opening one per batch cost
    /// three pragmas, the schema version check and the upsert's compilation each time (SQLite's parser was a tenth of
    /// the storage server's CPU under small PUTs).
    /// </summary>
    private sealed class RowWriter : IDisposable
    {
        private readonly SqliteCommand _merge;
        private readonly SqliteParameter _name;
        private readonly SqliteParameter _createdAt;
        private readonly SqliteParameter _size;
        private readonly SqliteParameter _contentType;
        private readonly SqliteParameter _etag;
        private readonly SqliteParameter _deleted;

        private RowWriter(SqliteConnection connection)
        {
            Connection = connection;
            _merge = connection.CreateCommand();
            _merge.CommandText = ContainerQueries.MergeObject;
            _name = _merge.Parameters.Add("@Name", SqliteType.Text);
            _createdAt = _merge.Parameters.Add("@CreatedAt", SqliteType.Text);
            _size = _merge.Parameters.Add("@Size", SqliteType.Integer);
            _contentType = _merge.Parameters.Add("@ContentType", SqliteType.Text);
            _etag = _merge.Parameters.Add("@Etag", SqliteType.Text);
            _deleted = _merge.Parameters.Add("@Deleted", SqliteType.Integer);
        }

        public SqliteConnection Connection { get; }

        // Unpooled: a pooled handle may still be open on a file since deleted, which the identity check could not see.
        public static RowWriter? Open(string file) =>
            SwiftDatabase.Open(file, create: false, pooled: false) is { } connection ? new RowWriter(connection) : null;

        // One command for every row: SQLite compiles the statement once and each row only rebinds its values.
        public Task MergeAsync(SqliteTransaction tx, ObjectRowChange row)
        {
            _merge.Transaction = tx;
            _name.Value = row.Name;
            _createdAt.Value = row.CreatedAt;
            _size.Value = row.Size;
            _contentType.Value = row.ContentType;
            _etag.Value = row.Etag;
            _deleted.Value = row.Deleted;
            return _merge.ExecuteNonQueryAsync();
        }

        public void Dispose()
        {
            _merge.Dispose();
            Connection.Dispose();
        }
    }

    private sealed class FileQueue
    {
        public List<Waiting> Rows { get; } = [];

        public bool Committing { get; set; }
    }

    private sealed class Waiting(ObjectRowChange row)
    {
        public ObjectRowChange Row => row;

        // Continuations run off the committer, so the next batch does not wait for this batch's responses.
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
