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
internal sealed class ContainerRowCommitter
{
    // Enough to drain a burst in a few transactions, small enough to keep one transaction short.
    private const int MaxBatch = 256;

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
        if (lead)
        {
            // The first writer starts the database's committer; the ones that arrive while it commits join its next batch.
            _ = Task.Run(() => CommitLoopAsync(file));
        }
        return waiting.Done.Task;
    }

    private async Task CommitLoopAsync(string file)
    {
        while (true)
        {
            List<Waiting> batch;
            lock (_queues)
            {
                var queue = _queues[file];
                if (queue.Rows.Count == 0)
                {
                    // Nothing left: forget the file, so the table holds only databases being written to.
                    _queues.Remove(file);
                    return;
                }
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
        }
    }

    private async Task CommitAsync(string file, List<Waiting> batch)
    {
        await using var db = DatabaseServerHttp.OpenExisting(file);
        using var tx = db.BeginTransaction();
        if (!File.Exists(file))
        {
            // A replicator removed this synced handoff copy while we waited for its lock: the rows must not go into
            // the unlinked file. The senders queue their updates and deliver them to the primaries.
            throw DatabaseServerHttp.NotFound();
        }
        await _checkLive(db, tx).ConfigureAwait(false);
        // One command for the batch: SQLite compiles the statement once and each row only rebinds its values
        // (a command per row, as Dapper makes, parsed and resolved the upsert again for every row).
        using var merge = db.CreateCommand();
        merge.Transaction = tx;
        merge.CommandText = ContainerQueries.MergeObject;
        var name = merge.Parameters.Add("@Name", SqliteType.Text);
        var createdAt = merge.Parameters.Add("@CreatedAt", SqliteType.Text);
        var size = merge.Parameters.Add("@Size", SqliteType.Integer);
        var contentType = merge.Parameters.Add("@ContentType", SqliteType.Text);
        var etag = merge.Parameters.Add("@Etag", SqliteType.Text);
        var deleted = merge.Parameters.Add("@Deleted", SqliteType.Integer);
        foreach (var waiting in batch)
        {
            var row = waiting.Row;
            name.Value = row.Name;
            createdAt.Value = row.CreatedAt;
            size.Value = row.Size;
            contentType.Value = row.ContentType;
            etag.Value = row.Etag;
            deleted.Value = row.Deleted;
            await merge.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        tx.Commit();
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
