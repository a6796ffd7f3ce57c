using System.Globalization;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Replication;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Updater;

/// <summary>
/// swift-object-updater: delivers the async pendings of the local devices to every container replica the ring names
/// now, and removes each one once all of them took it; the others wait for the next pass.
/// </summary>
public sealed partial class ObjectUpdater(SwiftStorageFlags storage, SwiftConsistencyFlags flags, SwiftRings rings, StorageNodeClient client, ILogger<ObjectUpdater> log) : ISwiftDaemon
{
    public string Name => "object-updater";

    public TimeSpan Interval => TimeSpan.FromSeconds(flags.ObjectUpdaterInterval);

    public async Task<string> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (delivered, failed) = (0, 0);
        foreach (var device in StorageDevices.All(storage))
        {
            foreach (var pending in AsyncPendings.Under(device).ToList())
            {
                var update = ContainerUpdate.FromJson(await File.ReadAllBytesAsync(pending, cancellationToken).ConfigureAwait(false));
                if (update is null)
                {
                    LogUnreadable(pending);
                    failed++;
                    continue;
                }
                if (await DeliverAsync(update, cancellationToken).ConfigureAwait(false))
                {
                    AsyncPendings.Remove(pending);
                    delivered++;
                }
                else
                {
                    failed++;
                }
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"{delivered} container updates delivered, {failed} left pending");
    }

    private Task<bool> DeliverAsync(ContainerUpdate update, CancellationToken cancellationToken)
    {
        var (partition, nodes) = rings.Container.GetNodes(update.Account, update.Container);
        return client.AllSucceedAsync(nodes, update.Op, node => SwiftPath.Of(node, partition, update.Account, update.Container, update.Object), update.Apply, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Async pending {Path} is not a container update; left in place")]
    private partial void LogUnreadable(string path);
}
