using System.Globalization;
using Cloud.Modules.Swift.Common;
using Cloud.Modules.Swift.Storage.Replication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Swift.Storage.Updater;

/// <summary>
/// The object server's side of container listings (swift's <c>ObjectController.container_update</c>): after a PUT or
/// DELETE it sends the object's row to the container servers the proxy named in X-Container-Host, -Device and
/// -Partition, and keeps an async pending for the object updater when any of them fails. An update for this process's
/// own container server goes to it directly (<see cref="ILocalContainerRows"/>), not over HTTP to ourselves.
/// </summary>
public sealed partial class ContainerUpdateSender(StorageNodeClient client, ILogger<ContainerUpdateSender> log, ILocalContainerRows? local = null)
{
    /// <summary>Comma-separated <c>ip:port</c> of the container servers to update.</summary>
    public const string HostHeader = "X-Container-Host";

    /// <summary>Comma-separated devices, one per host.</summary>
    public const string DeviceHeader = "X-Container-Device";

    /// <summary>The container's partition.</summary>
    public const string PartitionHeader = "X-Container-Partition";

    /// <summary>The size listed instead of the stored one (a static large object's manifest lists the whole object's).</summary>
    public const string OverrideSizeHeader = "X-Backend-Container-Update-Override-Size";

    /// <summary>The ETag listed instead of the stored one.</summary>
    public const string OverrideEtagHeader = "X-Backend-Container-Update-Override-Etag";

    /// <summary>
    /// Sends <paramref name="update"/> to the containers named in <paramref name="request"/>'s headers (none named: a
    /// replication or direct write, nothing to do). Waits for the answers, so a listing made after the client's write
    /// shows it; whatever fails is queued under <paramref name="devicePath"/> rather than failing the object write.
    /// </summary>
    public async Task SendAsync(IHeaderDictionary request, string devicePath, string hash, ContainerUpdate update)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hosts = Split(request[HostHeader]);
        if (hosts.Length == 0)
        {
            return;
        }
        var devices = Split(request[DeviceHeader]);
        var delivered = devices.Length == hosts.Length
            && int.TryParse(request[PartitionHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
            && (await Task.WhenAll(hosts.Select((host, i) => SendToAsync(host, devices[i], partition, update))).ConfigureAwait(false)).All(ok => ok);
        if (!delivered)
        {
            var pending = AsyncPendings.Write(devicePath, hash, update);
            LogQueued(update.Op, update.Account, update.Container, update.Object, pending);
        }
    }

    private async Task<bool> SendToAsync(string host, string device, int partition, ContainerUpdate update)
    {
        var colon = host.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(host.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return false;
        }
        var name = host[..colon].Trim('[', ']');
        if (local is not null && local.Serves(name, port))
        {
            return await local.MergeAsync(device, partition, update).ConfigureAwait(false);
        }
        using var answer = await client.SendAsync(name, port, update.Op,
            SwiftPath.Of(device, partition, update.Account, update.Container, update.Object), update.Apply, CancellationToken.None).ConfigureAwait(false);
        return answer is { IsSuccessStatusCode: true };
    }

    private static string[] Split(Microsoft.Extensions.Primitives.StringValues value) =>
        value.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container update {Op} {Account}/{Container}/{Object} failed; queued as {Pending}")]
    private partial void LogQueued(string op, string account, string container, string @object, string pending);
}
