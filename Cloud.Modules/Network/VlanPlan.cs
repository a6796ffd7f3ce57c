using System.Globalization;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Network;

/// <summary>
/// VlanManager's network math (nova's VlanManager.create_networks): network i of a create gets VLAN <c>first + i</c>,
/// bridge <c>br&lt;vlan&gt;</c> and subnet i of the range; as in nova, the address after the gateway is kept for the
/// project's VPN (cloudpipe), so DHCP hands out from the network address + 3 (the seed's list shows 192.168.0.3).
/// </summary>
public static class VlanPlan
{
    public const int MaxVlan = 4094;

    public static string BridgeOf(int vlan) => $"br{vlan.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>VLANs <paramref name="first"/> .. first+count-1; throws <see cref="CloudException"/> (Invalid) unless all are VLAN ids.</summary>
    public static IReadOnlyList<int> Vlans(int first, int count)
    {
        if (first is < 1 or > MaxVlan)
        {
            throw CloudException.Invalid($"VLAN {first} is not a VLAN id (1-{MaxVlan}).");
        }
        if ((long)first + count - 1 > MaxVlan)
        {
            throw CloudException.Invalid($"{count} networks from VLAN {first} need VLANs up to {(long)first + count - 1}, past {MaxVlan}.");
        }
        return [.. Enumerable.Range(first, count)];
    }

    /// <summary>The networks of a VLAN create: as <see cref="NetworkPlan.Split"/>, each handing out from its network address + 3.</summary>
    public static IReadOnlyList<PlannedNetwork> Split(string cidr, int count, int size)
    {
        NetworkPlan.Split(cidr, count, size, "");
        return [.. Enumerable.Range(0, count).Select(i => Subnet(cidr, i, size))];
    }

    /// <summary>
    /// The network a project gets on demand: the first of the <paramref name="count"/> slots of <paramref name="fixedRange"/>
    /// (slot i: VLAN <paramref name="vlanStart"/> + i, subnet i) whose VLAN and subnet no existing network uses; null when all are taken.
    /// </summary>
    public static (PlannedNetwork Network, int Vlan)? NextFree(string fixedRange, int count, int size, int vlanStart, IReadOnlyCollection<NetworkRecord> existing)
    {
        ArgumentNullException.ThrowIfNull(existing);
        var (_, prefix) = NetworkPlan.ParseCidr(fixedRange);
        if (size < 4 || (size & (size - 1)) != 0 || (long)count * size > 1L << (32 - prefix))
        {
            throw CloudException.Invalid($"--num_networks={count} networks of --network_size={size} addresses do not fit --fixed_range={fixedRange}.");
        }
        var vlans = Vlans(vlanStart, count);
        for (var i = 0; i < count; i++)
        {
            var planned = Subnet(fixedRange, i, size);
            if (existing.All(e => e.Vlan != vlans[i] && !NetworkPlan.Overlap(e.Cidr, planned.Cidr)))
            {
                return (planned, vlans[i]);
            }
        }
        return null;
    }

    /// <summary>Subnet <paramref name="index"/> of <paramref name="cidr"/> in networks of <paramref name="size"/> addresses.</summary>
    private static PlannedNetwork Subnet(string cidr, int index, int size)
    {
        var (network, _) = NetworkPlan.ParseCidr(cidr);
        var first = network + (uint)((long)index * size);
        var subnet = $"{NetworkPlan.Format(first)}/{32 - System.Numerics.BitOperations.Log2((uint)size)}";
        return NetworkPlan.Split(subnet, 1, size, NetworkPlan.Format(first + 3)).Single();
    }
}
