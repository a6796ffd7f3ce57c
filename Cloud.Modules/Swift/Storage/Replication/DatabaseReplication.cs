using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Common.Ring;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>
/// swift's db_replicator, shared by the container and account replicators: every database on a local device is
/// compared with each other primary (digest, info and id first); when they differ, the rows the peer has not merged
/// yet (after the sync point it keeps for this database) are pushed in batches of <c>swift_db_replicator_per_diff</c>,
/// each moving the sync point, so a database of any size converges within the servers' body limit. Replication only
/// pushes: the peer sends its own rows on its pass. A database on a handoff device is removed once every primary has
/// it and only if, under its write lock, it is still what was synced.
/// </summary>
public sealed partial class DatabaseReplication(SwiftStorageFlags storage, SwiftConsistencyFlags consistency, StorageNodeClient client, ILogger<DatabaseReplication> log)
{
    /// <summary>One pass over the <paramref name="kind"/> databases of the devices the server on <paramref name="port"/> serves.</summary>
    public async Task<string> RunOnceAsync(Ring ring, DatabaseKind kind, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(kind);
        var stats = new ReplicationStats();
        foreach (var device in LocalDevices.Of(ring, storage, port))
        {
            var root = Path.Combine(storage.SwiftDevices, device.Device, kind.DirectoryName);
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
                var primaries = ring.GetPartitionNodes(partition);
                foreach (var file in Directory.GetDirectories(partitionDirectory).SelectMany(Directory.GetDirectories).SelectMany(d => Directory.GetFiles(d, "*.db")))
                {
                    stats.Checked++;
                    var head = await DatabaseReplica.LoadHeadAsync(file, kind).ConfigureAwait(false);
                    if (head is null)
                    {
                        continue;
                    }
                    var complete = true;
                    foreach (var node in primaries.Where(n => n.Id != device.Id))
                    {
                        complete &= await ReplicateAsync(node, partition, file, kind, head, stats, cancellationToken).ConfigureAwait(false);
                    }
                    if (complete && !primaries.Any(n => n.Id == device.Id) && await DatabaseReplica.DeleteIfUnchangedAsync(file, kind, head.Digest).ConfigureAwait(false))
                    {
                        stats.HandoffsRemoved++;
                        LogHandoffRemoved(kind.Name, file);
                    }
                }
            }
        }
        return stats.ToString();
    }

    /// <summary>Brings <paramref name="node"/>'s copy up to ours (as of <paramref name="head"/>); false when the peer could not be reached.</summary>
    private async Task<bool> ReplicateAsync(RingDevice node, int partition, string file, DatabaseKind kind, DatabaseReplica head, ReplicationStats stats, CancellationToken cancellationToken)
    {
        var path = $"/{Uri.EscapeDataString(node.Device)}/{partition}/{Path.GetFileNameWithoutExtension(file)}";
        long point;
        using (var asked = await SendAsync(node, path, head.Head(), cancellationToken).ConfigureAwait(false))
        {
            switch (asked?.StatusCode)
            {
                case HttpStatusCode.NoContent:
                    return true;
                case HttpStatusCode.OK:
                    point = (await asked.Content.ReadFromJsonAsync<DatabaseReplica>(cancellationToken).ConfigureAwait(false))?.Point ?? -1;
                    break;
                default:
                    stats.Failures++;
                    return false;
            }
        }
        var perDiff = Math.Max(1, consistency.DbReplicatorPerDiff);
        while (true)
        {
            var (rows, last) = await DatabaseReplica.RowsSinceAsync(file, kind, point, perDiff).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                return true;
            }
            var batch = new DatabaseReplica { Digest = head.Digest, Id = head.Id, Info = head.Info, Rows = rows, Point = last };
            using var pushed = await SendAsync(node, path, batch, cancellationToken).ConfigureAwait(false);
            if (pushed is not { IsSuccessStatusCode: true })
            {
                // The peer keeps the point of every batch it merged: the next pass resumes from there.
                stats.Failures++;
                return false;
            }
            stats.Pushed++;
            point = last;
        }
    }

    private Task<HttpResponseMessage?> SendAsync(RingDevice node, string path, DatabaseReplica replica, CancellationToken cancellationToken) =>
        client.SendAsync(node, "REPLICATE", path, m => m.Content = JsonContent.Create(replica), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff {Kind} database {File} is on every primary; removed here")]
    private partial void LogHandoffRemoved(string kind, string file);
}
