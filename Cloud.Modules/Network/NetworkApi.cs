using Cloud.Modules.Identity;
using Cloud.Modules.Kernel;
using Cloud.Modules.Network.Db;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Network;

/// <summary>
/// The networks' in-process façade: the operator's side (<c>cloudd manage network create|list|delete</c>), and what
/// the other modules may know of fixed IPs (the APIs' address views, the metadata service's guest lookup).
/// </summary>
public sealed class NetworkApi(NetworkStore store, IOptions<NetworkFlags> flags, IdentityApi? identity = null)
{
    /// <summary>
    /// Creates <paramref name="count"/> networks of <paramref name="size"/> addresses from <paramref name="cidr"/>, with all
    /// their fixed IPs. Bridge and bridge interface default to <c>--flat_network_bridge</c> and <c>--flat_interface</c>.
    /// </summary>
    public Task<IReadOnlyList<NetworkRecord>> CreateAsync(string label, string cidr, int count, int size, string? bridge, string? bridgeInterface, string? dns, CancellationToken cancellationToken) =>
        CreateAsync(label, cidr, count, size, bridge, bridgeInterface, dns, null, null, cancellationToken);

    /// <summary>
    /// As above; under VlanManager network i gets VLAN <paramref name="vlan"/> + i (default <c>--vlan_start</c>) and bridge
    /// br&lt;vlan&gt;, and <paramref name="project"/> (a name or id; one network) owns it; without one it waits for the first project that needs a network.
    /// </summary>
    public async Task<IReadOnlyList<NetworkRecord>> CreateAsync(string label, string cidr, int count, int size, string? bridge, string? bridgeInterface, string? dns,
        int? vlan, string? project, CancellationToken cancellationToken)
    {
        var f = flags.Value;
        if (string.IsNullOrWhiteSpace(label) || label.Length > 255)
        {
            throw CloudException.Invalid("LABEL must be 1 to 255 characters.");
        }
        if (dns is not null && NetworkPlan.TryParseIPv4(dns) is null)
        {
            throw CloudException.Invalid($"--dns={dns} is not an IPv4 address.");
        }
        if (NetworkManagers.Require(f.NetworkManager) == NetworkManagers.Vlan)
        {
            return await CreateVlanAsync(label, cidr, count, size, bridge, bridgeInterface, dns, vlan ?? f.VlanStart, project, cancellationToken).ConfigureAwait(false);
        }
        if (vlan is not null || project is not null)
        {
            throw CloudException.Invalid($"--vlan and --project need --network_manager=VlanManager (this cloud runs {f.NetworkManager}).");
        }
        bridge = string.IsNullOrEmpty(bridge) ? f.FlatNetworkBridge : bridge;
        var bridges = NetworkPlan.BridgeNames(bridge, Math.Max(count, 1));
        if (bridges.FirstOrDefault(b => b.Length is 0 or > 15 || b.Any(c => char.IsWhiteSpace(c) || c is '/' or ',')) is { } bad)
        {
            throw CloudException.Invalid($"Bridge {bad}: a Linux interface name has 1 to 15 characters, without spaces, '/' or ','.");
        }
        var plan = NetworkPlan.Split(cidr, count, size, f.FlatNetworkDhcpStart);
        bridgeInterface = string.IsNullOrEmpty(bridgeInterface) ? (string.IsNullOrEmpty(f.FlatInterface) ? null : f.FlatInterface) : bridgeInterface;
        return await store.CreateAsync(label, plan, bridges, bridgeInterface, dns, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<NetworkRecord>> CreateVlanAsync(string label, string cidr, int count, int size, string? bridge, string? bridgeInterface, string? dns,
        int vlan, string? project, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(bridge) || !string.IsNullOrEmpty(bridgeInterface))
        {
            throw CloudException.Invalid("VlanManager names each network's bridge br<vlan> and links it through --vlan_interface; leave out --bridge and --bridge_interface.");
        }
        var vlans = VlanPlan.Vlans(vlan, Math.Max(count, 1));
        var plan = VlanPlan.Split(cidr, count, size);
        string? projectId = null;
        if (project is not null)
        {
            if (count != 1)
            {
                throw CloudException.Invalid($"--project={project} takes one network (NUM 1, not {count}): VlanManager gives a project one network.");
            }
            var found = identity is null ? null
                : await identity.FindProjectAsync(project, null, cancellationToken).ConfigureAwait(false) ?? await identity.FindProjectAsync(null, project, cancellationToken).ConfigureAwait(false);
            projectId = found?.Id ?? throw CloudException.NotFound($"Project {project} could not be found.");
        }
        return await store.CreateAsync(label, plan, [.. vlans.Select(VlanPlan.BridgeOf)], null, dns, vlans, projectId, cancellationToken)
            .ConfigureAwait(false);
    }

    public Task<IReadOnlyList<NetworkRecord>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>Deletes the network with this CIDR; refused while any of its fixed IPs is allocated.</summary>
    public Task DeleteAsync(string cidr, CancellationToken cancellationToken) => store.DeleteAsync(cidr, cancellationToken);

    /// <summary>The fixed IPs of the instances, then their floating IPs, by instance.</summary>
    public async Task<ILookup<string, FixedAddress>> AddressesOfAsync(IReadOnlyList<string> instanceUuids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceUuids);
        if (instanceUuids.Count == 0)
        {
            return Array.Empty<FixedAddress>().ToLookup(a => a.InstanceUuid);
        }
        var rows = await store.AddressesOfAsync(instanceUuids, cancellationToken).ConfigureAwait(false);
        var floating = await store.FloatingAddressesOfAsync(instanceUuids, cancellationToken).ConfigureAwait(false);
        return rows.Concat(floating).ToLookup(a => a.InstanceUuid, StringComparer.Ordinal);
    }

    /// <summary>The NICs of those of the instances that hold a fixed IP, by instance (the compute hosts' firewall needs MAC, network and gateway).</summary>
    public async Task<IReadOnlyDictionary<string, InstanceNetwork>> NicsOfAsync(IReadOnlyList<string> instanceUuids, CancellationToken cancellationToken)
    {
        var addresses = await AddressesOfAsync(instanceUuids, cancellationToken).ConfigureAwait(false);
        var networks = addresses.Count == 0 ? [] : await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var nics = new Dictionary<string, InstanceNetwork>(StringComparer.Ordinal);
        foreach (var address in addresses.SelectMany(a => a))
        {
            if (networks.FirstOrDefault(n => Contains(n.Cidr, address.Address)) is { } network)
            {
                nics.TryAdd(address.InstanceUuid, network.NicFor(new FixedIp { Address = address.Address, MacAddress = address.MacAddress }));
            }
        }
        return nics;
    }

    private static bool Contains(string cidr, string address)
    {
        var (network, prefix) = NetworkPlan.ParseCidr(cidr);
        return NetworkPlan.TryParseIPv4(address) is { } ip && (ip >> (32 - prefix)) == (network >> (32 - prefix));
    }

    /// <summary>The instance holding <paramref name="address"/> as its allocated fixed IP, with its NIC; or null.</summary>
    public async Task<AddressHolder?> HolderOfAsync(string address, CancellationToken cancellationToken)
    {
        var ip = await store.AllocatedAddressAsync(address, cancellationToken).ConfigureAwait(false);
        return ip?.InstanceUuid is { } uuid && await store.FindAsync(ip.NetworkId, cancellationToken).ConfigureAwait(false) is { } network
            ? new AddressHolder(uuid, network.Id, network.NicFor(ip))
            : null;
    }
}
