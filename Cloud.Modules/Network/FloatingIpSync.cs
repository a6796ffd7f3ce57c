using Cloud.Modules.Kernel;
using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Network;

/// <summary>
/// Tells network hosts that their floating IPs changed (<see cref="SyncFloatingIps"/> to <c>network.&lt;host&gt;</c>).
/// The database is already right when this runs: a host that does not answer is logged, and catches up when its
/// network role starts (it rebuilds its floating NAT from the database).
/// </summary>
public sealed partial class FloatingIpSync(NetworkRpcClient rpc, ILogger<FloatingIpSync> log)
{
    public async Task HostsAsync(RequestContext context, IEnumerable<string?> hosts, CancellationToken cancellationToken)
    {
        foreach (var host in hosts.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            try
            {
                await rpc.SyncFloatingIpsAsync(context, host, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcTimeoutException or RemoteError or CloudException or BusUnavailableException)
            {
                LogNotSynced(host, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "network host {Host} did not apply its floating IPs now ({Reason}); it rebuilds them from the database when its network role starts")]
    private partial void LogNotSynced(string host, string reason);
}
