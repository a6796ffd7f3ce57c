using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cloud.Modules.Swift.Storage.Db;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>
/// A container or account database as replication exchanges it (swift's db_replicator sends rows since a sync point;
/// here a digest first, and the whole database only when the digests differ). Merging is swift's: a row's newer
/// timestamp wins, a delete is a row with the deleted flag, and a database a replica lacks is created.
/// </summary>
public sealed class DatabaseReplica
{
    /// <summary>MD5 over the timestamps and rows, equal on two replicas in sync.</summary>
    [JsonPropertyName("digest")]
    public string Digest { get; init; } = "";

    /// <summary>The info row's replicated columns; null in a digest-only request.</summary>
    [JsonPropertyName("info")]
    public Dictionary<string, object?>? Info { get; init; }

    /// <summary>Every row; null in a digest-only request.</summary>
    [JsonPropertyName("rows")]
    public List<Dictionary<string, object?>>? Rows { get; init; }

    /// <summary>The digest alone, to ask a peer whether it differs.</summary>
    public DatabaseReplica DigestOnly() => new() { Digest = Digest };

    /// <summary>Reads a database; null when the file is missing or has no info row yet.</summary>
    public static async Task<DatabaseReplica?> LoadAsync(string file, DatabaseKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        await using var db = SwiftDatabase.Open(file, create: false);
        if (db is null)
        {
            return null;
        }
        using var tx = db.BeginTransaction();
        var info = await SwiftDatabase.InfoAsync<dynamic>(db, kind.Info, tx).ConfigureAwait(false);
        if (info is null)
        {
            return null;
        }
        var rows = (await db.QueryAsync(kind.Rows, transaction: tx).ConfigureAwait(false))
            .Select(r => Columns((IDictionary<string, object>)r))
            .ToList();
        var infoColumns = Columns((IDictionary<string, object>)info);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(JsonSerializer.SerializeToUtf8Bytes(new[] { infoColumns["PutTimestamp"], infoColumns["DeleteTimestamp"] }));
        md5.AppendData(JsonSerializer.SerializeToUtf8Bytes(rows));
        return new DatabaseReplica { Digest = Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant(), Info = infoColumns, Rows = rows };
    }

    /// <summary>Merges <paramref name="peer"/> (with info and rows) into the database at <paramref name="file"/>, creating it if missing.</summary>
    public static async Task MergeAsync(string file, DatabaseKind kind, DatabaseReplica peer)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(peer);
        if (peer.Info is null || peer.Rows is null)
        {
            throw new ArgumentException("A merge needs the peer's info and rows.", nameof(peer));
        }
        await using var db = SwiftDatabase.Open(file, create: true)!;
        using var tx = db.BeginTransaction();
        await db.ExecuteAsync(kind.Schema, transaction: tx).ConfigureAwait(false);
        var info = Parameters(peer.Info);
        await db.ExecuteAsync(kind.InsertInfo, info, tx).ConfigureAwait(false);
        await db.ExecuteAsync(kind.MergeInfo, info, tx).ConfigureAwait(false);
        foreach (var row in peer.Rows)
        {
            await db.ExecuteAsync(kind.MergeRow, Parameters(row), tx).ConfigureAwait(false);
        }
        tx.Commit();
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
