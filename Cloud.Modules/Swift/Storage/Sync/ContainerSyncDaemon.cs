using System.Buffers.Binary;
using System.Globalization;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Common.Ring;
using Cloud.Modules.Swift.Storage.Db;
using Cloud.Modules.Swift.Storage.Replication;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Swift.Storage.Sync;

/// <summary>
/// swift-container-sync: for each local container database (on a primary device) with X-Container-Sync-To and
/// X-Container-Sync-Key, the rows changed since its sync points are sent to the remote container: a PUT of the object,
/// read from the object servers (the newest replica at least as new as the row), or a DELETE for a tombstone, each
/// with the row's X-Timestamp and the sync key or the realm's signature (<see cref="ContainerSyncTarget"/>). As in
/// swift, each of the container's replicas first sends only its share of the new rows (the object name's hash modulo the
/// replica count picks the node), moving point1; on later passes it sends every row between point2 and point1, so a row
/// another replica failed to send still goes out; a row that fails there is tried again on the next pass.
/// </summary>
public sealed partial class ContainerSyncDaemon(
    SwiftStorageFlags storage, IOptions<SwiftContainerSyncFlags> flags, SwiftRings rings, SwiftHash hash, StorageNodeClient client,
    ILogger<ContainerSyncDaemon> log) : ISwiftDaemon, IDisposable
{
    // Headers of the object's GET that go on with its PUT (the rest are the object server's own).
    private static readonly string[] CopiedHeaders =
        ["Content-Type", "Content-Encoding", "Content-Disposition", "Content-Language", "Cache-Control", "Expires", "X-Delete-At", "X-Object-Manifest", "X-Static-Large-Object", "X-Symlink-Target", "X-Symlink-Target-Account"];

    private readonly HttpClient _remote = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(flags.Value.SwiftContainerSyncTimeout),
    };

    public string Name => "container-sync";

    public TimeSpan Interval => TimeSpan.FromSeconds(flags.Value.SwiftContainerSyncInterval);

    public async Task<string> RunOnceAsync(CancellationToken cancellationToken)
    {
        var stats = new Stats();
        var ring = rings.Container;
        var settings = flags.Value;
        var (realms, hosts) = (settings.Realms, settings.AllowedHosts);
        foreach (var device in LocalDevices.Of(ring, storage, storage.SwiftContainerPort))
        {
            var root = Path.Combine(storage.SwiftDevices, device.Device, DatabaseKind.Container.DirectoryName);
            if (!Directory.Exists(root))
            {
                continue;
            }
            foreach (var partitionDirectory in Directory.GetDirectories(root))
            {
                if (!int.TryParse(Path.GetFileName(partitionDirectory), NumberStyles.None, CultureInfo.InvariantCulture, out var partition) || partition >= ring.PartitionCount)
                {
                    continue;
                }
                var nodes = ring.GetPartitionNodes(partition);
                var ordinal = nodes.ToList().FindIndex(n => n.Id == device.Id);
                if (ordinal < 0)
                {
                    // A handoff copy: the primaries sync, as in swift.
                    continue;
                }
                foreach (var file in Directory.GetDirectories(partitionDirectory).SelectMany(Directory.GetDirectories).SelectMany(d => Directory.GetFiles(d, "*.db")))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        await SyncContainerAsync(file, ordinal, nodes.Count, realms, hosts, stats, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SqliteException e)
                    {
                        // A damaged or busy database is the replicator's and auditor's business; the others still sync.
                        LogDatabaseFailed(file, e.Message);
                        stats.Failures++;
                    }
                }
            }
        }
        return stats.ToString();
    }

    public void Dispose() => _remote.Dispose();

    private async Task SyncContainerAsync(
        string file, int ordinal, int replicas, ContainerSyncRealms realms, IReadOnlyCollection<string> hosts, Stats stats, CancellationToken cancellationToken)
    {
        await using var db = SwiftDatabase.Open(file, create: false);
        if (db is null || await SwiftDatabase.InfoAsync<ContainerInfoRow>(db, ContainerQueries.Info, null).ConfigureAwait(false) is not { } info || info.IsDeleted)
        {
            return;
        }
        var syncTo = ContainerMetadata.Get(info.Metadata, "X-Container-Sync-To") ?? "";
        var userKey = ContainerMetadata.Get(info.Metadata, "X-Container-Sync-Key") ?? "";
        if (syncTo.Length == 0 || userKey.Length == 0)
        {
            stats.Skips++;
            return;
        }
        var (url, realm, realmKey, refusal) = ContainerSyncTo.Resolve(syncTo, hosts, realms);
        if (refusal is not null)
        {
            LogBadSyncTo(info.Account, info.Container, refusal);
            stats.Failures++;
            return;
        }
        var target = new ContainerSyncTarget(url!, userKey, realm, realmKey);
        var policy = int.TryParse(ContainerMetadata.Get(info.Metadata, SwiftStoragePolicies.IndexHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
        await db.ExecuteAsync(ContainerSyncQueries.Schema).ConfigureAwait(false);
        var points = await db.QuerySingleAsync<ContainerSyncPoints>(ContainerSyncQueries.Points).ConfigureAwait(false);
        var (point1, point2) = (points.Point1, points.Point2);
        stats.Containers++;

        // Rows up to point1 that any replica may have failed to send: this replica sends them all now.
        long? retryFrom = null;
        while (point2 < point1 && await NextAsync(db, point2).ConfigureAwait(false) is { } row && row.RowId <= point1)
        {
            if (!await SyncRowAsync(row, info, policy, target, stats, cancellationToken).ConfigureAwait(false))
            {
                retryFrom ??= point2;
            }
            point2 = row.RowId;
            await db.ExecuteAsync(ContainerSyncQueries.SetPoint2, new { Point = point2 }).ConfigureAwait(false);
        }
        if (retryFrom is { } from)
        {
            await db.ExecuteAsync(ContainerSyncQueries.SetPoint2, new { Point = from }).ConfigureAwait(false);
        }

        // New rows: this replica sends its share now; the others come back round through point2 on a later pass.
        while (await NextAsync(db, point1).ConfigureAwait(false) is { } row)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (BinaryPrimitives.ReadUInt32BigEndian(hash.Digest(info.Account, info.Container, row.Name)) % (uint)replicas == ordinal)
            {
                await SyncRowAsync(row, info, policy, target, stats, cancellationToken).ConfigureAwait(false);
            }
            point1 = row.RowId;
            await db.ExecuteAsync(ContainerSyncQueries.SetPoint1, new { Point = point1 }).ConfigureAwait(false);
        }
    }

    private static Task<ContainerSyncRow?> NextAsync(SqliteConnection db, long point) =>
        db.QuerySingleOrDefaultAsync<ContainerSyncRow>(ContainerSyncQueries.NextRow, new { Point = point });

    /// <summary>Sends one row to the remote container; true when it is there (or the remote already has newer).</summary>
    private async Task<bool> SyncRowAsync(ContainerSyncRow row, ContainerInfoRow info, int policy, ContainerSyncTarget target, Stats stats, CancellationToken cancellationToken)
    {
        try
        {
            var done = row.Deleted != 0
                ? await DeleteAsync(row, target, cancellationToken).ConfigureAwait(false)
                : await PutAsync(row, info, policy, target, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                _ = row.Deleted != 0 ? stats.Deletes++ : stats.Puts++;
            }
            else
            {
                stats.Failures++;
            }
            return done;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogRowFailed(info.Account, info.Container, row.Name, e.Message);
            stats.Failures++;
            return false;
        }
    }

    private async Task<bool> DeleteAsync(ContainerSyncRow row, ContainerSyncTarget target, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Delete, target.ObjectUri(row.Name));
        message.Headers.TryAddWithoutValidation("X-Timestamp", row.CreatedAt);
        target.Sign(message, row.Name, row.CreatedAt);
        using var answer = await _remote.SendAsync(message, cancellationToken).ConfigureAwait(false);
        // 404: never there or already gone; 409: the remote holds a newer write.
        return Accepted(answer, "DELETE", row.Name) || answer.StatusCode is System.Net.HttpStatusCode.NotFound;
    }

    private async Task<bool> PutAsync(ContainerSyncRow row, ContainerInfoRow info, int policy, ContainerSyncTarget target, CancellationToken cancellationToken)
    {
        using var source = await NewestAsync(info.Account, info.Container, row, policy, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            LogNoSource(info.Account, info.Container, row.Name, row.CreatedAt);
            return false;
        }
        var timestamp = source.Headers.GetValues("X-Timestamp").First();
        using var message = new HttpRequestMessage(HttpMethod.Put, target.ObjectUri(row.Name))
        {
            Content = new StreamContent(await source.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false)),
        };
        message.Content.Headers.ContentLength = source.Content.Headers.ContentLength;
        message.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
        if (source.Headers.ETag is { } etag)
        {
            message.Headers.TryAddWithoutValidation("ETag", etag.Tag.Trim('"'));
        }
        foreach (var (name, values) in source.Headers.Concat(source.Content.Headers))
        {
            if (name.StartsWith("X-Object-Meta-", StringComparison.OrdinalIgnoreCase) || CopiedHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                var value = string.Join(',', values);
                if (!message.Headers.TryAddWithoutValidation(name, value))
                {
                    message.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }
        target.Sign(message, row.Name, timestamp);
        using var answer = await _remote.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Accepted(answer, "PUT", row.Name);
    }

    /// <summary>The object's newest replica, if it is at least as new as the row (swift's X-Newest GET); null otherwise.</summary>
    private async Task<HttpResponseMessage?> NewestAsync(string account, string container, ContainerSyncRow row, int policy, CancellationToken cancellationToken)
    {
        var (partition, nodes) = rings.ObjectRing(policy).GetNodes(account, container, row.Name);
        HttpResponseMessage? newest = null;
        var newestTime = row.CreatedAt;
        foreach (var node in nodes)
        {
            var answer = await client.SendAsync(node.Ip, node.Port, "GET", SwiftPath.Of(node, partition, account, container, row.Name), m =>
            {
                if (policy != 0)
                {
                    m.Headers.TryAddWithoutValidation(SwiftStoragePolicies.IndexHeader, policy.ToString(CultureInfo.InvariantCulture));
                }
            }, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            if (answer is { IsSuccessStatusCode: true } && answer.Headers.TryGetValues("X-Timestamp", out var stamps)
                && string.CompareOrdinal(stamps.First(), newestTime) >= 0 && (newest is null || string.CompareOrdinal(stamps.First(), newestTime) > 0))
            {
                newest?.Dispose();
                (newest, newestTime) = (answer, stamps.First());
            }
            else
            {
                answer?.Dispose();
            }
        }
        return newest;
    }

    private bool Accepted(HttpResponseMessage answer, string method, string name)
    {
        if (answer.IsSuccessStatusCode || answer.StatusCode is System.Net.HttpStatusCode.Conflict)
        {
            return true;
        }
        LogRemoteRefused(method, name, (int)answer.StatusCode);
        return false;
    }

    private sealed class Stats
    {
        public int Containers { get; set; }

        public int Skips { get; set; }

        public int Puts { get; set; }

        public int Deletes { get; set; }

        public int Failures { get; set; }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Containers} containers synced, {Skips} skipped (no sync-to or key), {Puts} puts, {Deletes} deletes, {Failures} failures");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "container-sync: {File} could not be read: {Reason}")]
    private partial void LogDatabaseFailed(string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "container-sync: {Account}/{Container} cannot sync: {Reason}")]
    private partial void LogBadSyncTo(string account, string container, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "container-sync: {Account}/{Container}/{Object} failed: {Reason}")]
    private partial void LogRowFailed(string account, string container, string @object, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "container-sync: no replica of {Account}/{Container}/{Object} as new as {Timestamp}")]
    private partial void LogNoSource(string account, string container, string @object, string timestamp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "container-sync: the remote answered {Method} {Object} with {Status}")]
    private partial void LogRemoteRefused(string method, string @object, int status);
}
