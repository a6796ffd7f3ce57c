using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Network;

/// <summary>
/// The address math of <c>cloudd manage network create LABEL CIDR NUM SIZE</c> (nova-manage network create): CIDR is
/// split into NUM networks of SIZE addresses each. In each network the network address, the gateway (the first
/// host, the bridge's address on the network host), the broadcast address and every address below
/// <c>--flat_network_dhcp_start</c> (when it lies inside that network) are reserved and never handed out.
/// </summary>
public static class NetworkPlan
{
    /// <summary>The most addresses one create may write as fixed_ips rows (a /16).</summary>
    public const int MaxAddresses = 65536;

    /// <summary>Plans the networks; throws <see cref="CloudException"/> (Invalid) with a message the operator can act on.</summary>
    public static IReadOnlyList<PlannedNetwork> Split(string cidr, int count, int size, string dhcpStart)
    {
        var (baseAddress, prefix) = ParseCidr(cidr);
        if (count < 1)
        {
            throw CloudException.Invalid($"NUM must be at least 1, not {count}.");
        }
        if (size < 4 || (size & (size - 1)) != 0)
        {
            throw CloudException.Invalid($"SIZE {size} must be a power of two of at least 4 (e.g. 256 for a /24).");
        }
        var available = 1L << (32 - prefix);
        if ((long)count * size > available)
        {
            throw CloudException.Invalid($"{count} networks of {size} addresses need {(long)count * size} addresses, but {cidr} has only {available}.");
        }
        if ((long)count * size > MaxAddresses)
        {
            throw CloudException.Invalid($"{count} networks of {size} addresses are more than the {MaxAddresses} addresses one create may add.");
        }
        var subnetPrefix = 32 - System.Numerics.BitOperations.Log2((uint)size);
        var start = TryParseIPv4(dhcpStart);
        var networks = new List<PlannedNetwork>(count);
        for (var n = 0; n < count; n++)
        {
            var network = baseAddress + (uint)(n * size);
            var last = network + (uint)size - 1;
            var firstHandedOut = start is { } s && s >= network + 2 && s < last ? s : network + 2;
            networks.Add(new PlannedNetwork(
                $"{Format(network)}/{subnetPrefix}", Format(Netmask(subnetPrefix)), Format(network + 1), Format(last), Format(firstHandedOut),
                [.. Enumerable.Range(0, size).Select(i => new PlannedAddress(Format(network + (uint)i), i, i == size - 1 || network + (uint)i < firstHandedOut))]));
        }
        return networks;
    }

    /// <summary>
    /// One bridge per network (each network has its own dnsmasq on its bridge): <c>br100</c> for the first, then the
    /// trailing number counts up (<c>br101</c>, ...), or a number is appended to a name without one.
    /// </summary>
    public static IReadOnlyList<string> BridgeNames(string bridge, int count)
    {
        var digits = bridge.Length - bridge.TrimEnd("0123456789".ToCharArray()).Length;
        var stem = bridge[..^digits];
        var first = digits > 0 ? long.Parse(bridge[^digits..], System.Globalization.CultureInfo.InvariantCulture) : 0;
        return [.. Enumerable.Range(0, count).Select(i => i == 0 ? bridge : $"{stem}{first + i}")];
    }

    /// <summary>Parses an IPv4 CIDR whose host bits are zero.</summary>
    public static (uint Network, int Prefix) ParseCidr(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || TryParseIPv4(cidr[..slash]) is not { } address || !int.TryParse(cidr[(slash + 1)..], out var prefix) || prefix is < 1 or > 30)
        {
            throw CloudException.Invalid($"'{cidr}' is not an IPv4 CIDR such as 10.0.0.0/24 (prefix 1 to 30).");
        }
        var mask = Netmask(prefix);
        if ((address & mask) != address)
        {
            throw CloudException.Invalid($"'{cidr}' has host bits set; the network is {Format(address & mask)}/{prefix}.");
        }
        return (address, prefix);
    }

    /// <summary>True when the two CIDRs share any address.</summary>
    public static bool Overlap(string a, string b)
    {
        var (na, pa) = ParseCidr(a);
        var (nb, pb) = ParseCidr(b);
        var mask = Netmask(Math.Min(pa, pb));
        return (na & mask) == (nb & mask);
    }

    public static uint? TryParseIPv4(string text) =>
        IPAddress.TryParse(text, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3
            ? BinaryPrimitives.ReadUInt32BigEndian(ip.GetAddressBytes())
            : null;

    public static string Format(uint address)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    private static uint Netmask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
}
