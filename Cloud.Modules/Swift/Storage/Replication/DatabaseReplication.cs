using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Cloud.Modules.Swift.Common.Ring;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>
/// swift's db_replicator, shared by the container and account replicators: every database on a local device is
/// compared with each other primary (digest first) and merged both ways when they differ; a peer lacking it gets it
/// whole. A database on a handoff device is removed here once every primary has it.
/// </summary>
public sealed partial class DatabaseReplication(SwiftStorageFlags storage, StorageNodeClient client, ILogger<DatabaseReplication> log)
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
                    var complete = true;
                    foreach (var node in primaries.Where(n => n.Id != device.Id))
                    {
                        complete &= await ReplicateAsync(node, partition, file, kind, stats, cancellationToken).ConfigureAwait(false);
                    }
                    if (complete && !primaries.Any(n => n.Id == device.Id))
                    {
                        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
                        stats.HandoffsRemoved++;
                        LogHandoffRemoved(kind.Name, file);
                    }
                }
            }
        }
        return stats.ToString();
    }

    /// <summary>Brings <paramref name="node"/>'s copy and ours to the same rows; false when the peer could not be reached.</summary>
    private async Task<bool> ReplicateAsync(RingDevice node, int partition, string file, DatabaseKind kind, ReplicationStats stats, CancellationToken cancellationToken)
    {
        var mine = await DatabaseReplica.LoadAsync(file, kind).ConfigureAwait(false);
        if (mine is null)
        {
            return true;
        }
        var path = $"/{Uri.EscapeDataString(node.Device)}/{partition}/{Path.GetFileNameWithoutExtension(file)}";
        using var asked = await SendAsync(node, path, mine.DigestOnly(), cancellationToken).ConfigureAwait(false);
        switch (asked?.StatusCode)
        {
            case HttpStatusCode.NoContent:
                return true;
            case HttpStatusCode.OK:
                var theirs = await asked.Content.ReadFromJsonAsync<DatabaseReplica>(cancellationToken).ConfigureAwait(false);
                if (theirs is { Info: not null, Rows: not null })
                {
                    await DatabaseReplica.MergeAsync(file, kind, theirs).ConfigureAwait(false);
                    mine = await DatabaseReplica.LoadAsync(file, kind).ConfigureAwait(false) ?? mine;
                }
                break;
            case HttpStatusCode.NotFound:
                break;
            default:
                stats.Failures++;
                return false;
        }
        using var pushed = await SendAsync(node, path, mine, cancellationToken).ConfigureAwait(false);
        if (pushed is { IsSuccessStatusCode: true })
        {
            stats.Pushed++;
            return true;
        }
        stats.Failures++;
        return false;
    }

    private Task<HttpResponseMessage?> SendAsync(RingDevice node, string path, DatabaseReplica replica, CancellationToken cancellationToken) =>
        client.SendAsync(node, "REPLICATE", path, m => m.Content = JsonContent.Create(replica), cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff {Kind} database {File} is on every primary; removed here")]
    private partial void LogHandoffRemoved(string kind, string file);
}
