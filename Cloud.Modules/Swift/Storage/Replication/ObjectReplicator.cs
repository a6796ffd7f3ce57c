using System.Globalization;
using System.Text.Json;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Common.Ring;
using Cloud.Modules.Swift.Storage.DiskFile;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>
/// swift-object-replicator: for each partition on a local device, compares the suffix hashes with every other primary
/// (REPLICATE) and pushes the objects of the differing suffixes (SYNC, newest files only, so tombstones travel and a
/// deleted object never comes back). Replication only pushes: a peer with newer files pushes them back on its own pass.
/// A partition the ring no longer assigns to this device (a handoff) is pushed to all its primaries; then, under the
/// partition's lock, each suffix every primary holds exactly as hashed is removed here, and a suffix written meanwhile
/// stays for the next pass (<see cref="PartitionHashes.RemoveSynced"/>).
/// </summary>
public sealed partial class ObjectReplicator(
    SwiftStorageFlags storage, SwiftConsistencyFlags flags, SwiftRings rings, StorageNodeClient client, TimeProvider clock, ILogger<ObjectReplicator> log) : ISwiftDaemon
{
    public string Name => "object-replicator";

    public TimeSpan Interval => TimeSpan.FromSeconds(flags.ObjectReplicatorInterval);

    private TimeSpan ReclaimAge => TimeSpan.FromSeconds(flags.ReclaimAge);

    public async Task<string> RunOnceAsync(CancellationToken cancellationToken)
    {
        var stats = new ReplicationStats();
        // Each storage policy has its own ring and its own directory (objects, objects-1...) on the devices.
        foreach (var policy in rings.Policies.All)
        {
            await ReplicatePolicyAsync(policy.Index, stats, cancellationToken).ConfigureAwait(false);
        }
        return stats.ToString();
    }

    private async Task ReplicatePolicyAsync(int policy, ReplicationStats stats, CancellationToken cancellationToken)
    {
        Ring ring;
        try
        {
            ring = rings.ObjectRing(policy);
        }
        catch (FileNotFoundException) when (policy != 0)
        {
            // A policy whose ring is not built yet holds no objects anywhere.
            return;
        }
        foreach (var device in LocalDevices.Of(ring, storage, storage.SwiftObjectPort))
        {
            var objects = Path.Combine(storage.SwiftDevices, device.Device, SwiftStoragePolicies.DataDirectory(policy));
            if (!Directory.Exists(objects))
            {
                continue;
            }
            foreach (var directory in Directory.GetDirectories(objects))
            {
                // A partition past the ring's size belongs to an older ring: leave it to the operator.
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var partition) && partition < ring.PartitionCount)
                {
                    await ReplicatePartitionAsync(new(ring, policy), device, partition, directory, stats, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task ReplicatePartitionAsync(PolicyRing target, RingDevice local, int partition, string directory, ReplicationStats stats, CancellationToken cancellationToken)
    {
        stats.Checked++;
        var primaries = target.Ring.GetPartitionNodes(partition);
        var hashes = PartitionHashes.Get(directory, [], ReclaimAge, clock.GetUtcNow());
        // The suffixes every other primary was seen to hold exactly as hashed here: all a handoff may remove.
        var synced = new Dictionary<string, string>(hashes, StringComparer.Ordinal);
        var reachedAll = true;
        foreach (var node in primaries.Where(n => n.Id != local.Id))
        {
            var remote = await RemoteHashesAsync(node, target.Policy, partition, [], cancellationToken).ConfigureAwait(false);
            if (remote is null)
            {
                reachedAll = false;
                stats.Failures++;
                continue;
            }
            var differing = hashes.Where(h => !remote.TryGetValue(h.Key, out var theirs) || theirs != h.Value).Select(h => h.Key).ToList();
            if (differing.Count == 0)
            {
                continue;
            }
            foreach (var suffix in differing)
            {
                await PushSuffixAsync(node, target.Policy, partition, Path.Combine(directory, suffix), stats, cancellationToken).ConfigureAwait(false);
            }
            // The peer rehashes what it received, so the next pass finds the partition in sync; its answer says which
            // suffixes it now holds as we do.
            var after = await RemoteHashesAsync(node, target.Policy, partition, differing, cancellationToken).ConfigureAwait(false);
            foreach (var suffix in differing.Where(s => after is null || !after.TryGetValue(s, out var theirs) || theirs != hashes[s]))
            {
                synced.Remove(suffix);
            }
        }
        if (!primaries.Any(n => n.Id == local.Id) && reachedAll
            && PartitionHashes.RemoveSynced(directory, synced, ReclaimAge, clock.GetUtcNow()))
        {
            stats.HandoffsRemoved++;
            LogHandoffRemoved(local.Device, partition);
        }
    }

    private async Task<Dictionary<string, string>?> RemoteHashesAsync(RingDevice node, int policy, int partition, IReadOnlyList<string> suffixes, CancellationToken cancellationToken)
    {
        var path = $"/{Uri.EscapeDataString(node.Device)}/{partition}" + (suffixes.Count > 0 ? "/" + string.Join('-', suffixes) : "");
        using var answer = await client.SendAsync(node, "REPLICATE", path, m => NamePolicy(m, policy), cancellationToken).ConfigureAwait(false);
        if (answer is not { IsSuccessStatusCode: true })
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(await answer.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sends every object of a suffix (its newest .data or .ts, and a newer .meta); true when the peer has them all.</summary>
    private async Task<bool> PushSuffixAsync(RingDevice node, int policy, int partition, string suffixDirectory, ReplicationStats stats, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(suffixDirectory))
        {
            return true;
        }
        var complete = true;
        foreach (var hashDirectory in Directory.GetDirectories(suffixDirectory))
        {
            // Timestamps are fixed-width, so name order sends the .data before the .meta that updates it.
            foreach (var name in FsDiskFile.CleanUp(hashDirectory, ReclaimAge, clock.GetUtcNow()).Order(StringComparer.Ordinal))
            {
                var sent = await SendFileAsync(node, policy, partition, Path.Combine(hashDirectory, name), cancellationToken).ConfigureAwait(false);
                if (sent is null)
                {
                    complete = false;
                    stats.Failures++;
                }
                else if (sent.Value)
                {
                    stats.Pushed++;
                }
            }
        }
        return complete;
    }

    /// <summary>True when the peer took the file, false when it already had it or newer, null when it failed.</summary>
    private async Task<bool?> SendFileAsync(RingDevice node, int policy, int partition, string path, CancellationToken cancellationToken)
    {
        var hash = Path.GetFileName(Path.GetDirectoryName(path))!;
        var name = Path.GetFileName(path);
        try
        {
            var metadata = Xattr.Get(path, DiskFileMetadata.AttributeName);
            if (metadata is null)
            {
                // Left for the auditor to quarantine; a good copy comes back from a peer.
                return null;
            }
            await using var body = name.EndsWith(FsDiskFile.DataExtension, StringComparison.Ordinal)
                ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan)
                : null;
            using var answer = await client.SendAsync(node, "SYNC", $"/{Uri.EscapeDataString(node.Device)}/{partition}/{hash}/{name}", m =>
            {
                m.Headers.TryAddWithoutValidation(ObjectReplicationEndpoint.MetadataHeader, Convert.ToBase64String(metadata));
                NamePolicy(m, policy);
                if (body is not null)
                {
                    // The peer answers 409 before the body when it has the object already.
                    m.Headers.ExpectContinue = true;
                    m.Content = new StreamContent(body);
                    m.Content.Headers.ContentLength = body.Length;
                }
            }, cancellationToken).ConfigureAwait(false);
            return answer?.StatusCode switch
            {
                System.Net.HttpStatusCode.Created => true,
                System.Net.HttpStatusCode.Conflict => false,
                _ => null,
            };
        }
        catch (FileNotFoundException)
        {
            // Superseded by a newer write meanwhile; the next pass sends that one.
            return null;
        }
    }

    private static void NamePolicy(HttpRequestMessage message, int policy)
    {
        if (policy != 0)
        {
            message.Headers.TryAddWithoutValidation(SwiftStoragePolicies.IndexHeader, policy.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A policy's object ring.</summary>
    private sealed record PolicyRing(Ring Ring, int Policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handoff partition {Partition} on {Device} is on every primary; removed here")]
    private partial void LogHandoffRemoved(string device, int partition);
}
