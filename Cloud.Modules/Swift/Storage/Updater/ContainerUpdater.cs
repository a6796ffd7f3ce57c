using System.Globalization;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Db;
using Cloud.Modules.Swift.Storage.Replication;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Updater;

/// <summary>
/// swift-container-updater: sends each local container's totals (object count, bytes, put and delete timestamps) to
/// its account's replicas when they changed since the last report, so account listings and HEADs catch up with writes
/// whose account update was lost. The last report is kept beside the database in <c>&lt;hash&gt;.reported</c>.
/// </summary>
public sealed partial class ContainerUpdater(SwiftStorageFlags storage, SwiftConsistencyFlags flags, SwiftRings rings, StorageNodeClient client, ILogger<ContainerUpdater> log) : ISwiftDaemon
{
    public string Name => "container-updater";

    public TimeSpan Interval => TimeSpan.FromSeconds(flags.ContainerUpdaterInterval);

    public async Task<string> RunOnceAsync(CancellationToken cancellationToken)
    {
        var (reported, failed) = (0, 0);
        foreach (var device in LocalDevices.Of(rings.Container, storage, storage.SwiftContainerPort))
        {
            var root = Path.Combine(storage.SwiftDevices, device.Device, DatabaseKind.Container.DirectoryName);
            if (!Directory.Exists(root))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(root, "*.db", SearchOption.AllDirectories))
            {
                await using var db = SwiftDatabase.Open(file, create: false);
                var info = db is null ? null : await SwiftDatabase.InfoAsync<ContainerInfoRow>(db, ContainerQueries.Info, null).ConfigureAwait(false);
                if (info is null)
                {
                    continue;
                }
                // The policy is part of what was reported: an account row from before policies were reported gets it once.
                var report = string.Join(' ', info.PutTimestamp, info.DeleteTimestamp, info.ObjectCount.ToString(CultureInfo.InvariantCulture),
                    info.BytesUsed.ToString(CultureInfo.InvariantCulture), info.PolicyIndex);
                var marker = Path.ChangeExtension(file, ".reported");
                if (File.Exists(marker) && await File.ReadAllTextAsync(marker, cancellationToken).ConfigureAwait(false) == report)
                {
                    continue;
                }
                if (await ReportAsync(info, cancellationToken).ConfigureAwait(false))
                {
                    await File.WriteAllTextAsync(marker, report, cancellationToken).ConfigureAwait(false);
                    reported++;
                }
                else
                {
                    failed++;
                    LogFailed(info.Account, info.Container);
                }
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"{reported} containers reported to their accounts, {failed} failed");
    }

    private Task<bool> ReportAsync(ContainerInfoRow info, CancellationToken cancellationToken)
    {
        var (partition, nodes) = rings.Account.GetNodes(info.Account);
        return client.AllSucceedAsync(nodes, "PUT", node => SwiftPath.Of(node, partition, info.Account, info.Container), m =>
        {
            m.Headers.TryAddWithoutValidation("X-Put-Timestamp", info.PutTimestamp);
            m.Headers.TryAddWithoutValidation("X-Delete-Timestamp", info.DeleteTimestamp);
            m.Headers.TryAddWithoutValidation("X-Object-Count", info.ObjectCount.ToString(CultureInfo.InvariantCulture));
            m.Headers.TryAddWithoutValidation("X-Bytes-Used", info.BytesUsed.ToString(CultureInfo.InvariantCulture));
            m.Headers.TryAddWithoutValidation(SwiftStoragePolicies.IndexHeader, info.PolicyIndex);
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report container {Account}/{Container} to every account replica; retried next pass")]
    private partial void LogFailed(string account, string container);
}
