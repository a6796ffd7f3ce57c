using System.Globalization;
using Cloud.Modules.Kernel.Host;

namespace Cloud.Modules.Network.Drivers;

/// <summary>
/// The host side of VlanManager's tagged links: a VXLAN link <c>vx&lt;vni&gt;</c> (dstport 4789, one all-zeros fdb
/// entry per peer, so broadcasts reach every peer and unicasts are learned) or an 802.1q interface <c>vlan&lt;id&gt;</c>
/// on <c>--vlan_interface</c>, either enslaved to the project network's bridge; and, on the network host, the rule that
/// keeps it from routing between project networks. Each <c>Ensure*</c> checks before it changes; a driver never
/// touches the database.
/// </summary>
public sealed class VlanNetDriver(IHostCommands run)
{
    /// <summary>cloudd's filter chain (jumped to from FORWARD) holding the isolation rules of project bridges.</summary>
    public const string IsolationChain = "cloudd-isolate";

    /// <summary>IANA's VXLAN port.</summary>
    public const int VxlanPort = 4789;

    private const string AllZeros = "00:00:00:00:00:00";

    /// <summary>
    /// Guests send 1500-byte frames (DHCP tells them no other MTU), so the link carries 1500 and the underlay needs 1550
    /// (VXLAN adds 50 bytes): with a smaller one, the kernel refuses the link over <c>--vlan_interface</c>, naming the MTU.
    /// </summary>
    private const string GuestMtu = "1500";

    public static string VxlanLink(int vni) => $"vx{vni.ToString(CultureInfo.InvariantCulture)}";

    public static string VlanLink(int vlan) => $"vlan{vlan.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>True when the kernel has 802.1q (the module loaded or built in); where it has not, VlanManager uses VXLAN.</summary>
    public static bool KernelHas8021q() => Directory.Exists("/sys/module/8021q") || File.Exists("/proc/net/vlan/config");

    /// <summary>
    /// <c>vx&lt;vni&gt;</c> exists (from <paramref name="local"/>, over <paramref name="underlay"/> when given), is a port of
    /// <paramref name="bridge"/>, is up, and floods to exactly <paramref name="peers"/>.
    /// </summary>
    public async Task EnsureVxlanAsync(int vni, string bridge, string local, string? underlay, IReadOnlyCollection<string> peers, CancellationToken cancellationToken)
    {
        var link = VxlanLink(vni);
        if (!await LinkExistsAsync(link, cancellationToken).ConfigureAwait(false))
        {
            var id = vni.ToString(CultureInfo.InvariantCulture);
            List<string> add = ["ip", "link", "add", "name", link, "mtu", GuestMtu, "type", "vxlan", "id", id, "dstport", VxlanPort.ToString(CultureInfo.InvariantCulture), "local", local];
            if (!string.IsNullOrEmpty(underlay))
            {
                add.AddRange(["dev", underlay]);
            }
            await run.RunAsync(add, cancellationToken).ConfigureAwait(false);
        }
        await EnslaveAsync(link, bridge, cancellationToken).ConfigureAwait(false);
        await EnsurePeersAsync(vni, peers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The flood list of <c>vx&lt;vni&gt;</c> is exactly <paramref name="peers"/>: missing ones appended, departed ones deleted.</summary>
    public async Task EnsurePeersAsync(int vni, IReadOnlyCollection<string> peers, CancellationToken cancellationToken)
    {
        var link = VxlanLink(vni);
        var present = (await run.RunAsync(["bridge", "fdb", "show", "dev", link], cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Where(words => words[0] == AllZeros)
            .Select(words => words.SkipWhile(w => w != "dst").Skip(1).FirstOrDefault())
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        foreach (var peer in peers.Where(p => !present.Contains(p)))
        {
            await run.RunAsync(["bridge", "fdb", "append", AllZeros, "dev", link, "dst", peer], cancellationToken).ConfigureAwait(false);
        }
        foreach (var gone in present.Where(p => !peers.Contains(p)))
        {
            await run.RunAsync(["bridge", "fdb", "del", AllZeros, "dev", link, "dst", gone], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The VNIs of the <c>vx&lt;vni&gt;</c> links on this host (after a restart too, when no process remembers them).</summary>
    public async Task<IReadOnlyList<int>> VxlanIdsAsync(CancellationToken cancellationToken) =>
        [.. (await run.RunAsync(["ip", "-o", "link", "show", "type", "vxlan"], cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 3) is [_, var name, _] ? name.Trim().Split('@')[0] : "")
            .Where(name => name.StartsWith("vx", StringComparison.Ordinal))
            .Select(name => int.TryParse(name[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var vni) ? vni : -1)
            .Where(vni => vni > 0)];

    /// <summary><c>vlan&lt;id&gt;</c> (802.1q on <paramref name="parent"/>) exists, is a port of <paramref name="bridge"/> and is up.</summary>
    public async Task EnsureVlanInterfaceAsync(string parent, int vlan, string bridge, CancellationToken cancellationToken)
    {
        var link = VlanLink(vlan);
        if (!await LinkExistsAsync(link, cancellationToken).ConfigureAwait(false))
        {
            if (!await LinkExistsAsync(parent, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"--vlan_interface={parent}: no such interface on this host, so VLAN {vlan} cannot reach the other hosts");
            }
            await run.RunAsync(["ip", "link", "add", "link", parent, "name", link, "type", "vlan", "id", vlan.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
        }
        await EnslaveAsync(link, bridge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the link (<c>vx&lt;vni&gt;</c> or <c>vlan&lt;id&gt;</c>) if it exists.</summary>
    public async Task RemoveLinkAsync(string link, CancellationToken cancellationToken)
    {
        if (await LinkExistsAsync(link, cancellationToken).ConfigureAwait(false))
        {
            await run.RunAsync(["ip", "link", "del", "dev", link], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The network host routes nothing new into <paramref name="bridge"/> from another interface (another project's
    /// bridge): replies and DNATed traffic (floating IPs, which security groups filter) still pass, as does everything
    /// inside the bridge and from the host itself. Refused, not dropped: the sender gets ICMP "administratively
    /// prohibited" at once (a connect fails with "No route to host", a ping says "Packet filtered"), as from any router
    /// with a policy, instead of retrying into its own timeout (where a guest's <c>timeout wget</c> dies of a signal).
    /// </summary>
    public async Task EnsureIsolatedAsync(string bridge, CancellationToken cancellationToken)
    {
        if ((await run.TryAsync(["iptables", "-t", "filter", "-n", "-L", IsolationChain], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            await run.RunAsync(["iptables", "-t", "filter", "-N", IsolationChain], cancellationToken).ConfigureAwait(false);
        }
        if ((await run.TryAsync(["iptables", "-t", "filter", "-C", "FORWARD", "-j", IsolationChain], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            await run.RunAsync(["iptables", "-t", "filter", "-I", "FORWARD", "1", "-j", IsolationChain], cancellationToken).ConfigureAwait(false);
        }
        string[] rule = IsolationRule(bridge);
        if ((await run.TryAsync(["iptables", "-t", "filter", "-C", IsolationChain, .. rule], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
        {
            await run.RunAsync(["iptables", "-t", "filter", "-A", IsolationChain, .. rule], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the bridge's isolation rule (when its network goes).</summary>
    public async Task RemoveIsolationAsync(string bridge, CancellationToken cancellationToken) =>
        await run.TryAsync(["iptables", "-t", "filter", "-D", IsolationChain, .. IsolationRule(bridge)], cancellationToken).ConfigureAwait(false);

    private static string[] IsolationRule(string bridge) =>
        ["-o", bridge, "!", "-i", bridge, "-m", "conntrack", "!", "--ctstate", "RELATED,ESTABLISHED,DNAT", "-j", "REJECT", "--reject-with", "icmp-admin-prohibited"];

    private async Task EnslaveAsync(string link, string bridge, CancellationToken cancellationToken)
    {
        await run.RunAsync(["ip", "link", "set", "dev", link, "master", bridge], cancellationToken).ConfigureAwait(false);
        await run.RunAsync(["ip", "link", "set", "dev", link, "up"], cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> LinkExistsAsync(string link, CancellationToken cancellationToken) =>
        (await run.TryAsync(["ip", "link", "show", "dev", link], cancellationToken).ConfigureAwait(false)).ExitCode == 0;
}
