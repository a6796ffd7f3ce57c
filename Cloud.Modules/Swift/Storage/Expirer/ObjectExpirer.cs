using System.Globalization;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.DiskFile;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Expirer;

/// <summary>
/// swift-object-expirer: deletes objects whose X-Delete-At has passed, so they leave the container listings and free
/// their space. Swift queues each expiring object in the hidden <c>.expiring_objects</c> account; here the queue is the
/// objects' own metadata on the local devices, which survives restarts as well: each pass finds the local replicas due,
/// and deletes the object on all its replicas as swift's expirer does, with X-Timestamp and X-If-Delete-At set to the
/// expiry (so an object rewritten with another expiry meanwhile is left alone, 412) and the container updates named,
/// so the listing loses the row. With several storage nodes every holder of a replica may send the same DELETE; the
/// first wins and the others get 404 or 409, which count as done.
/// </summary>
public sealed partial class ObjectExpirer(
    SwiftStorageFlags storage, SwiftConsistencyFlags flags, SwiftRings rings, StorageNodeClient client, IDiskFileFactory diskFiles, TimeProvider clock,
    ILogger<ObjectExpirer> log) : ISwiftDaemon
{
    public string Name => "object-expirer";

    public TimeSpan Interval => TimeSpan.FromSeconds(flags.ExpirerInterval);

    public async Task<string> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (due, expired) = (0, 0);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var device in StorageDevices.All(storage))
        {
            var objects = Path.Combine(device, "objects");
            if (!Directory.Exists(objects))
            {
                continue;
            }
            foreach (var partitionDirectory in Directory.EnumerateDirectories(objects))
            {
                if (!int.TryParse(Path.GetFileName(partitionDirectory), NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
                {
                    continue;
                }
                foreach (var hashDirectory in Directory.EnumerateDirectories(partitionDirectory).SelectMany(Directory.EnumerateDirectories))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (DueOf(diskFiles.Open(device, partition, Path.GetFileName(hashDirectory)), now) is not { } expiring)
                    {
                        continue;
                    }
                    due++;
                    expired += await DeleteAsync(expiring.Name, expiring.DeleteAt, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                }
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"{due} expired objects found, {expired} deleted");
    }

    /// <summary>The object's name and X-Delete-At when it exists and its time has come; else null.</summary>
    private static (string Name, string DeleteAt)? DueOf(IDiskFile file, long now)
    {
        DiskFileState state;
        try
        {
            state = file.Read();
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            // Half-written or being replaced: the auditor deals with damage, the next pass with the rest.
            return null;
        }
        return state.Exists && state.Metadata.TryGetValue("X-Delete-At", out var at) && state.Metadata.TryGetValue("name", out var name)
            && long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= now
            ? (name, at)
            : null;
    }

    /// <summary>Deletes the object everywhere if it still expires at <paramref name="deleteAt"/>; true when it is gone.</summary>
    private async Task<bool> DeleteAsync(string name, string deleteAt, CancellationToken cancellationToken)
    {
        var parts = name.Split('/', 4);
        if (parts.Length != 4 || parts[0].Length != 0)
        {
            return false;
        }
        var (account, container, obj) = (parts[1], parts[2], parts[3]);
        var (partition, nodes) = rings.Object.GetNodes(account, container, obj);
        var timestamp = long.Parse(deleteAt, NumberStyles.None, CultureInfo.InvariantCulture).ToString("0000000000.00000", CultureInfo.InvariantCulture);
        var shares = ContainerUpdateHeaders.Spread(rings.Container, account, container, nodes.Count);
        var answers = await Task.WhenAll(nodes.Select(async (node, i) =>
        {
            using var answer = await client.SendAsync(node.Ip, node.Port, "DELETE", SwiftPath.Of(node, partition, account, container, obj), m =>
            {
                m.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
                m.Headers.TryAddWithoutValidation("X-If-Delete-At", deleteAt);
                shares[i].Apply(m);
            }, cancellationToken).ConfigureAwait(false);
            return answer is null ? 0 : (int)answer.StatusCode;
        })).ConfigureAwait(false);
        // 404: already gone; 409: a replica holds a newer write or this very tombstone; 412: a new expiry, not due.
        var gone = answers.Count(status => status is 204 or 404 or 409) > nodes.Count / 2;
        if (gone)
        {
            LogExpired(account, container, obj, deleteAt);
        }
        return gone;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Account}/{Container}/{Object} (X-Delete-At {DeleteAt})")]
    private partial void LogExpired(string account, string container, string @object, string deleteAt);
}
