using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Network.Drivers;

/// <summary>
/// The removal side of the network host's reconcile: what cloudd set up for a bridge that no longer carries a
/// network this host serves. A bridge is cloudd's when it has files under <c>$state_path/networks</c> (hosts, leases,
/// pid, log: <see cref="DnsmasqFiles"/>); an operator's bridge that never had a dnsmasq here is never touched. A driver:
/// the manager tells it which bridges still belong.
/// </summary>
public sealed partial class StaleNetworkRemover(LinuxNetDriver net, ILogger<StaleNetworkRemover> log)
{
    private static readonly string[] FileKinds = [".hosts", ".leases", ".pid", ".log"];

    /// <summary>The bridges with dnsmasq files in <paramref name="networksDirectory"/>.</summary>
    public static IReadOnlySet<string> BridgesWithFiles(string networksDirectory) =>
        Directory.Exists(networksDirectory)
            ? Directory.EnumerateFiles(networksDirectory)
                .Select(Path.GetFileName).OfType<string>()
                .Where(name => FileKinds.Any(kind => name.EndsWith(kind, StringComparison.Ordinal)))
                .Select(Path.GetFileNameWithoutExtension).OfType<string>()
                .ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Stops the dnsmasq of every bridge with files here that is not in <paramref name="dhcpBridges"/> and deletes its files;
    /// deletes the bridge too when it is not in <paramref name="bridges"/> either (its network was deleted or moved to another host).
    /// </summary>
    /// <returns>The bridges removed.</returns>
    public async Task<IReadOnlyList<string>> RemoveAsync(string networksDirectory, IReadOnlySet<string> bridges, IReadOnlySet<string> dhcpBridges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bridges);
        ArgumentNullException.ThrowIfNull(dhcpBridges);
        var removed = new List<string>();
        foreach (var bridge in BridgesWithFiles(networksDirectory).Where(b => !dhcpBridges.Contains(b)).Order(StringComparer.Ordinal))
        {
            var files = DnsmasqFiles.For(networksDirectory, bridge);
            net.StopDnsmasq(bridge);
            net.StopStale(files.PidFile);
            foreach (var file in new[] { files.HostsFile, files.LeaseFile, files.PidFile, files.LogFile })
            {
                File.Delete(file);
            }
            if (bridges.Contains(bridge))
            {
                LogNoDhcp(bridge);
                continue;
            }
            await net.RemoveBridgeAsync(bridge, cancellationToken).ConfigureAwait(false);
            LogRemoved(bridge);
            removed.Add(bridge);
        }
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "removed bridge {Bridge} and its dnsmasq: no network this host serves uses it any more")]
    private partial void LogRemoved(string bridge);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped the dnsmasq of bridge {Bridge}: its network has no DHCP (FlatManager)")]
    private partial void LogNoDhcp(string bridge);
}
