using Cloud.Modules.Kernel;

namespace Cloud.Modules.Network;

/// <summary>
/// The addresses of <c>manage floating create|delete RANGE</c>, as nova-manage's address_to_hosts: a single address,
/// or a CIDR's host addresses (without network and broadcast address below /31).
/// </summary>
public static class FloatingRange
{
    /// <summary>The most addresses one range may hold (a /16), so a typo like /1 cannot fill the table.</summary>
    public const int MaxAddresses = 65536;

    public static IReadOnlyList<string> Addresses(string range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var slash = range.IndexOf('/', StringComparison.Ordinal);
        var text = slash < 0 ? range : range[..slash];
        if (NetworkPlan.TryParseIPv4(text) is not { } address)
        {
            throw Bad(range);
        }
        if (slash < 0)
        {
            return [NetworkPlan.Format(address)];
        }
        if (!int.TryParse(range[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix) || prefix is < 1 or > 32)
        {
            throw Bad(range);
        }
        var size = 1L << (32 - prefix);
        if (size > MaxAddresses)
        {
            throw CloudException.Invalid($"Range {range} has {size} addresses; at most {MaxAddresses} (a /16) at a time.");
        }
        var mask = prefix == 32 ? uint.MaxValue : uint.MaxValue << (32 - prefix);
        if ((address & mask) != address)
        {
            throw CloudException.Invalid($"Range {range} has host bits set; the network is {NetworkPlan.Format(address & mask)}/{prefix}.");
        }
        var (first, count) = prefix >= 31 ? (address, size) : (address + 1, size - 2);
        return [.. Enumerable.Range(0, (int)count).Select(i => NetworkPlan.Format(first + (uint)i))];
    }

    private static CloudException Bad(string range) =>
        CloudException.Invalid($"'{range}' is not an IPv4 address or CIDR such as 172.24.4.0/28.");
}
