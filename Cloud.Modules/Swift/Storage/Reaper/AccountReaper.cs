using System.Globalization;
using System.Net.Http.Json;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Common.Ring;
using Cloud.Modules.Swift.Storage.Db;
using Cloud.Modules.Swift.Storage.Replication;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Reaper;

/// <summary>
/// swift-account-reaper: empties deleted accounts. For each deleted account database on a local device that is the
/// account's first primary (so one node does the work), it deletes every object of every container on all its
/// replicas (the object servers update the container rows), then the containers themselves.
/// </summary>
public sealed partial class AccountReaper(SwiftStorageFlags storage, SwiftConsistencyFlags flags, SwiftRings rings, StorageNodeClient client, TimeProvider clock, ILogger<AccountReaper> log) : ISwiftDaemon
{
    private const int PageSize = 1000;

    public string Name => "account-reaper";

    public TimeSpan Interval => TimeSpan.FromSeconds(flags.AccountReaperInterval);

    public async Task<string> RunOnceAsync(CancellationToken cancellationToken)
    {
        var ring = rings.Account;
        var (accounts, objects, containers) = (0, 0, 0);
        foreach (var device in LocalDevices.Of(ring, storage, storage.SwiftAccountPort))
        {
            var root = Path.Combine(storage.SwiftDevices, device.Device, DatabaseKind.Account.DirectoryName);
            if (!Directory.Exists(root))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(root, "*.db", SearchOption.AllDirectories))
            {
                var partitionName = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(file))));
                if (!int.TryParse(partitionName, NumberStyles.None, CultureInfo.InvariantCulture, out var partition) || partition >= ring.PartitionCount
                    || ring.GetPartitionNodes(partition)[0].Id != device.Id)
                {
                    continue;
                }
                await using var db = SwiftDatabase.Open(file, create: false);
                var info = db is null ? null : await SwiftDatabase.InfoAsync<AccountInfoRow>(db, AccountQueries.Info, null).ConfigureAwait(false);
                if (info is not { IsDeleted: true })
                {
                    continue;
                }
                accounts++;
                foreach (var container in await db!.QueryAsync<string>(AccountQueries.LiveContainerNames).ConfigureAwait(false))
                {
                    objects += await ReapContainerAsync(info.Account, container, cancellationToken).ConfigureAwait(false);
                    containers++;
                }
            }
        }
        return string.Create(CultureInfo.InvariantCulture, $"{accounts} deleted accounts, {containers} containers and {objects} objects reaped");
    }

    /// <summary>Deletes the container's objects, then the container; returns how many objects were deleted everywhere.</summary>
    private async Task<int> ReapContainerAsync(string account, string container, CancellationToken cancellationToken)
    {
        var (containerPartition, containerNodes) = rings.Container.GetNodes(account, container);
        var containerUpdates = ContainerUpdateHeaders.For(rings.Container, account, container);
        var reaped = 0;
        var marker = "";
        while (await ListAsync(containerNodes, n => SwiftPath.Of(n, containerPartition, account, container), marker, cancellationToken).ConfigureAwait(false) is { Count: > 0 } names)
        {
            foreach (var name in names)
            {
                var timestamp = Now();
                var (partition, nodes) = rings.Object.GetNodes(account, container, name);
                var deleted = await client.AllSucceedAsync(nodes, "DELETE", n => SwiftPath.Of(n, partition, account, container, name), m =>
                {
                    m.Headers.TryAddWithoutValidation("X-Timestamp", timestamp);
                    containerUpdates(m);
                }, cancellationToken).ConfigureAwait(false);
                reaped += deleted ? 1 : 0;
            }
            marker = names[^1];
        }
        var containerTimestamp = Now();
        await client.AllSucceedAsync(containerNodes, "DELETE", n => SwiftPath.Of(n, containerPartition, account, container),
            m => m.Headers.TryAddWithoutValidation("X-Timestamp", containerTimestamp), cancellationToken).ConfigureAwait(false);
        LogReaped(account, container, reaped);
        return reaped;
    }

    /// <summary>One page of object names from the first container replica that answers; empty when none has it.</summary>
    private async Task<List<string>?> ListAsync(IReadOnlyList<RingDevice> nodes, Func<RingDevice, string> pathOf, string marker, CancellationToken cancellationToken)
    {
        var query = $"?format=json&limit={PageSize}&marker={Uri.EscapeDataString(marker)}";
        foreach (var node in nodes)
        {
            using var answer = await client.SendAsync(node, "GET", pathOf(node) + query, null, cancellationToken).ConfigureAwait(false);
            if (answer is { IsSuccessStatusCode: true })
            {
                var rows = await answer.Content.ReadFromJsonAsync<List<Dictionary<string, System.Text.Json.JsonElement>>>(cancellationToken).ConfigureAwait(false);
                return rows?.Select(r => r["name"].GetString()!).ToList() ?? [];
            }
        }
        return [];
    }

    private string Now() => ContainerTimestamp.FromTime(clock.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Information, Message = "Reaped container {Account}/{Container} of a deleted account: {Objects} objects deleted")]
    private partial void LogReaped(string account, string container, int objects);
}
