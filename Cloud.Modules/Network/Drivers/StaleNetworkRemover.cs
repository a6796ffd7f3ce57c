using Cloud.Modules.Kernel.Host;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Network.Drivers;

/// <summary>
/// The removal side of the network host's reconcile: what cloudd set up for a bridge that no longer carries a
/// network this host serves. A bridge is cloudd's when it has files under <c>$state_path/networks</c> (hosts, leases,
/// pid, log: <see cref="DnsmasqFiles"/>); an operator's bridge that never had a dnsmasq here is never touched. A driver:
/// the manager tells it which bridges still belong.
/// </summary>
public sealed partial class StaleNetworkRemover(LinuxNetDriver net, CommandRunner run, ILogger<StaleNetworkRemover> log)
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

    /// <summary>
    /// In the nat table: drops duplicate jumps to cloudd's chains and duplicate rules in them, and metadata DNATs to
    /// anything but <paramref name="metadataTargets"/> (the gateway of a network this host no longer serves), with their
    /// SNAT exemptions for <paramref name="fixedRange"/>. Other modules' rules in these chains are only ever de-duplicated.
    /// </summary>
    /// <returns>How many rules were deleted.</returns>
    public async Task<int> SweepNatAsync(IReadOnlySet<string> metadataTargets, string fixedRange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadataTargets);
        var deleted = 0;
        foreach (var chain in new[] { "PREROUTING", "POSTROUTING", LinuxNetDriver.PreroutingChain, LinuxNetDriver.PostroutingChain })
        {
            var listing = await run.TryAsync(["iptables", "-t", "nat", "-S", chain], cancellationToken).ConfigureAwait(false);
            if (listing.ExitCode != 0)
            {
                continue;
            }
            Func<string, bool> stale = chain switch
            {
                LinuxNetDriver.PreroutingChain => rule => IsMetadataForward(rule) && !metadataTargets.Any(t => rule.Contains($"--to-destination {t}:", StringComparison.Ordinal)),
                LinuxNetDriver.PostroutingChain => rule => IsMetadataExemption(rule, fixedRange) && !metadataTargets.Any(t => rule.Contains($"-d {t}/32 ", StringComparison.Ordinal)),
                _ => _ => false,
            };
            foreach (var number in NatRuleSweep.Deletions(listing.Stdout, chain, stale))
            {
                var rule = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await run.RunAsync(["iptables", "-t", "nat", "-D", chain, rule], cancellationToken).ConfigureAwait(false);
                LogDeletedRule(chain, rule);
                deleted++;
            }
        }
        return deleted;
    }

    private static bool IsMetadataForward(string rule) =>
        rule.Contains($"-d {LinuxNetDriver.MetadataAddress}/32", StringComparison.Ordinal) && rule.Contains("-j DNAT", StringComparison.Ordinal);

    /// <summary>The SNAT exemption <see cref="LinuxNetDriver.EnsureForwardingAsync"/> adds for the metadata host: <c>-s RANGE -d HOST/32 -j ACCEPT</c>.</summary>
    private static bool IsMetadataExemption(string rule, string fixedRange) =>
        rule.StartsWith($"-s {fixedRange} -d ", StringComparison.Ordinal) && rule.EndsWith("/32 -j ACCEPT", StringComparison.Ordinal)
        && rule.Split(' ').Length == 6;

    [LoggerMessage(Level = LogLevel.Information, Message = "deleted nat rule {Chain} #{Rule}: a duplicate, or for a network this host no longer serves")]
    private partial void LogDeletedRule(string chain, string rule);

    [LoggerMessage(Level = LogLevel.Information, Message = "removed bridge {Bridge} and its dnsmasq: no network this host serves uses it any more")]
    private partial void LogRemoved(string bridge);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped the dnsmasq of bridge {Bridge}: its network has no DHCP (FlatManager)")]
    private partial void LogNoDhcp(string bridge);
}
