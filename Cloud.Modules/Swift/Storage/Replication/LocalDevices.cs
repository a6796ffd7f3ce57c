using System.Net;
using System.Net.NetworkInformation;
using Cloud.Modules.Swift.Common.Ring;

namespace Cloud.Modules.Swift.Storage.Replication;

/// <summary>
/// The ring devices this host serves (swift's <c>whataremyips</c> plus the port check): the server's port, an address
/// of this host (or the one it listens on) and a directory under <c>swift_devices</c>, so several storage processes on
/// one host, each with its own ports, each see only their own devices.
/// </summary>
public static class LocalDevices
{
    /// <summary>The local devices of <paramref name="ring"/> for the server listening on <paramref name="port"/>.</summary>
    public static IReadOnlyList<RingDevice> Of(Ring ring, SwiftStorageFlags flags, int port)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(flags);
        var addresses = Addresses(flags.SwiftStorageListen);
        return ring.Devices
            .Where(d => (d.Port == port || d.ReplicationPort == port) && (addresses.Contains(d.Ip) || addresses.Contains(d.ReplicationIp)))
            .Where(d => Directory.Exists(Path.Combine(flags.SwiftDevices, d.Device)))
            .Where(d => !flags.SwiftMountCheck || MountPoints.IsMountPoint(Path.Combine(flags.SwiftDevices, d.Device)))
            .OrderBy(d => d.Id)
            .ToList();
    }

    private static HashSet<string> Addresses(string listen)
    {
        if (IPAddress.TryParse(listen, out var bound) && !bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            return [bound.ToString()];
        }
        var all = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address.ToString())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        all.Add("127.0.0.1");
        all.Add("::1");
        return all;
    }
}
