using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cloud.Modules.Swift.Storage.Db;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>
/// A container or account database as replication exchanges it, as swift's db_replicator does: the sender's digest,
/// info and id first; the peer answers with the sync point it keeps for that id (the last of the sender's rows it
/// merged); then the rows after it, in batches of <c>per_diff</c> in rowid order, each carrying its own sync point.
/// Merging is swift's: a row's newer timestamp wins, a delete is a row with the deleted flag, a missing database is created.
/// </summary>
public sealed class DatabaseReplica
{
    /// <summary>MD5 over the timestamps and rows, equal on two replicas in sync.</summary>
    [JsonPropertyName("digest")]
    public string Digest { get; init; } = "";

    /// <summary>The sending database's id (the key of the peer's sync point); null from an older sender.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>
    /// In a request with <see cref="Rows"/>: the sender's last rowid in them, recorded by the peer as its sync point.
    /// In an answer: the sync point the peer holds for the sender (-1: none).
    /// </summary>
    [JsonPropertyName("point")]
    public long? Point { get; init; }

    /// <summary>The info row's replicated columns; null in a digest-only request.</summary>
    [JsonPropertyName("info")]
    public Dictionary<string, object?>? Info { get; init; }

    /// <summary>Rows to merge (one batch, or every row from <see cref="LoadAsync"/>); null when none are sent.</summary>
    [JsonPropertyName("rows")]
    public List<Dictionary<string, object?>>? Rows { get; init; }

    /// <summary>The digest alone, to ask a peer whether it differs.</summary>
    public DatabaseReplica DigestOnly() => new() { Digest = Digest };

    /// <summary>This replica without rows: digest, id and info, to open a sync.</summary>
    public DatabaseReplica Head() => new() { Digest = Digest, Id = Id, Info = Info };

    /// <summary>Reads a database with every row; null when the file is missing or has no info row yet.</summary>
    public static Task<DatabaseReplica?> LoadAsync(string file, DatabaseKind kind) => LoadCoreAsync(file, kind, withRows: true);

    /// <summary>Reads a database's digest, id and info (the rows only feed the digest); null when missing or without info.</summary>
    public static Task<DatabaseReplica?> LoadHeadAsync(string file, DatabaseKind kind) => LoadCoreAsync(file, kind, withRows: false);

    /// <summary>Up to <paramref name="limit"/> rows after rowid <paramref name="point"/>, in rowid order, with the last rowid; empty at the end.</summary>
    public static async Task<(List<Dictionary<string, object?>> Rows, long Last)> RowsSinceAsync(string file, DatabaseKind kind, long point, int limit)
    {
        ArgumentNullException.ThrowIfNull(kind);
        await using var db = SwiftDatabase.Open(file, create: false);
        if (db is null)
        {
            return ([], point);
        }
        var rows = (await db.QueryAsync(kind.RowsSince, new { Point = point, Limit = limit }).ConfigureAwait(false))
            .Select(r => Columns((IDictionary<string, object>)r)).ToList();
        var last = rows.Count == 0 ? point : Convert.ToInt64(rows[^1]["RowId"], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var row in rows)
        {
            row.Remove("RowId");
        }
        return (rows, last);
    }

    /// <summary>The sync point the database at <paramref name="file"/> keeps for the peer database <paramref name="peerId"/>; -1 when none.</summary>
    public static async Task<long> PointForAsync(string file, string? peerId)
    {
        await using var db = SwiftDatabase.Open(file, create: false);
        if (db is null || peerId is null)
        {
            return -1;
        }
        await db.ExecuteAsync(ReplicationQueries.Schema).ConfigureAwait(false);
        return await db.QuerySingleOrDefaultAsync<long?>(ReplicationQueries.Point, new { Id = peerId }).ConfigureAwait(false) ?? -1;
    }

    /// <summary>
    /// Deletes the database's directory when its digest is still <paramref name="digest"/>, checked and done while
    /// holding the database's write lock: a write that arrived since the sync keeps it for the next pass.
    /// </summary>
    /// <returns>Whether it was deleted.</returns>
    public static async Task<bool> DeleteIfUnchangedAsync(string file, DatabaseKind kind, string digest)
    {
        ArgumentNullException.ThrowIfNull(kind);
        // Unpooled: this handle is on the file it may remove.
        await using var db = SwiftDatabase.Open(file, create: false, pooled: false);
        if (db is null)
        {
            return false;
        }
        using var tx = db.BeginTransaction(deferred: false);
        var now = await ReadAsync(db, tx, kind, withRows: false).ConfigureAwait(false);
        if (now is null || now.Digest != digest)
        {
            return false;
        }
        // The transaction holds SQLite's write lock: no writer gets in between the check and the removal.
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        SwiftDatabase.ClearPooled(file);
        return true;
    }

    /// <summary>
    /// Merges <paramref name="peer"/>'s info and rows (if any) into the database at <paramref name="file"/>, creating it
    /// if missing, and records the peer's sync point when it sends one, in the same transaction.
    /// </summary>
    public static async Task MergeAsync(string file, DatabaseKind kind, DatabaseReplica peer)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Info is null)
        {
            throw new ArgumentException("A merge needs the peer's info.", nameof(peer));
        }
        await using var db = SwiftDatabase.Open(file, create: true)!;
        using var tx = db.BeginTransaction();
        await db.ExecuteAsync(kind.Schema + ReplicationQueries.Schema, transaction: tx).ConfigureAwait(false);
        var info = Parameters(peer.Info);
        await db.ExecuteAsync(kind.InsertInfo, info, tx).ConfigureAwait(false);
        await db.ExecuteAsync(kind.MergeInfo, info, tx).ConfigureAwait(false);
        foreach (var row in peer.Rows ?? [])
        {
            foreach (var (column, value) in kind.RowDefaults)
            {
                row.TryAdd(column, value);
            }
            await db.ExecuteAsync(kind.MergeRow, Parameters(row), tx).ConfigureAwait(false);
        }
        if (peer is { Id: { } id, Point: { } point, Rows: not null })
        {
            await db.ExecuteAsync(ReplicationQueries.SetPoint, new { Id = id, Point = point }, tx).ConfigureAwait(false);
        }
        tx.Commit();
    }

    private static async Task<DatabaseReplica?> LoadCoreAsync(string file, DatabaseKind kind, bool withRows)
    {
        ArgumentNullException.ThrowIfNull(kind);
        await using var db = SwiftDatabase.Open(file, create: false);
        if (db is null)
        {
            return null;
        }
        using var tx = db.BeginTransaction();
        var replica = await ReadAsync(db, tx, kind, withRows).ConfigureAwait(false);
        tx.Commit();
        return replica;
    }

    private static async Task<DatabaseReplica?> ReadAsync(SqliteConnection db, SqliteTransaction tx, DatabaseKind kind, bool withRows)
    {
        var info = await SwiftDatabase.InfoAsync<dynamic>(db, kind.Info, tx).ConfigureAwait(false);
        if (info is null)
        {
            return null;
        }
        // Idempotent: gives a database made before replication had ids and triggers both.
        await db.ExecuteAsync(kind.Schema + ReplicationQueries.Schema, transaction: tx).ConfigureAwait(false);
        var rows = (await db.QueryAsync(kind.Rows, transaction: tx).ConfigureAwait(false))
            .Select(r => Columns((IDictionary<string, object>)r))
            .ToList();
        var infoColumns = Columns((IDictionary<string, object>)info);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(JsonSerializer.SerializeToUtf8Bytes(new[] { infoColumns["PutTimestamp"], infoColumns["DeleteTimestamp"] }));
        md5.AppendData(JsonSerializer.SerializeToUtf8Bytes(rows));
        return new DatabaseReplica
        {
            Digest = Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant(),
            Id = await db.QuerySingleAsync<string>(ReplicationQueries.Id, transaction: tx).ConfigureAwait(false),
            Info = infoColumns,
            Rows = withRows ? rows : null,
        };
    }

    private static Dictionary<string, object?> Columns(IDictionary<string, object> row) =>
        row.ToDictionary(c => c.Key, c => (object?)c.Value, StringComparer.Ordinal);

    // Values arrive as JsonElement from a peer and as CLR values from Dapper; SQLite wants text or integers.
    private static DynamicParameters Parameters(Dictionary<string, object?> columns)
    {
        var parameters = new DynamicParameters();
        foreach (var (name, value) in columns)
        {
            parameters.Add(name, value is JsonElement json
                ? json.ValueKind switch
                {
                    JsonValueKind.Number => json.GetInt64(),
                    JsonValueKind.Null => null,
                    _ => json.GetString(),
                }
                : value);
        }
        return parameters;
    }
}
