using System.Globalization;
using Cloud.Modules.Network;

namespace Cloud.Host.Commands;

/// <summary>
/// <c>manage network list</c> as nova-manage printed it (the seed's 4.5.3): nine tab-separated, left-padded columns,
/// "None" for what a network lacks, networks numbered from 1.
/// </summary>
public static class NetworkListing
{
    private static readonly int[] Widths = [5, 18, 15, 15, 15, 15, 15, 15, 15];

    public static IEnumerable<string> Lines(IReadOnlyList<NetworkRecord> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        yield return Line(["id", "IPv4", "IPv6", "start address", "DNS1", "DNS2", "VlanID", "project", "uuid"]);
        for (var i = 0; i < networks.Count; i++)
        {
            var n = networks[i];
            yield return Line([(i + 1).ToString(CultureInfo.InvariantCulture), n.Cidr, "None", n.DhcpStart, n.Dns1 ?? "None", "None",
                n.Vlan?.ToString(CultureInfo.InvariantCulture) ?? "None", n.ProjectId ?? "None", n.Id]);
        }
    }

    private static string Line(IReadOnlyList<string> cells) => string.Join('\t', cells.Select((cell, i) => cell.PadRight(Widths[i])));
}
