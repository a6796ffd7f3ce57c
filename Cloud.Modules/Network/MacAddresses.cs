using System.Security.Cryptography;

namespace Cloud.Modules.Network;

/// <summary>
/// Instance MACs: <c>52:54:00:xx:xx:xx</c>, QEMU/libvirt's own prefix (locally administered, unicast), which the
/// NIC contract <see cref="InstanceNetwork"/> names. nova-network used 02:16:3e and neutron fa:16:3e;
/// a guest here is always a QEMU guest, and tools (and people) reading <c>virsh dumpxml</c> recognise 52:54:00.
/// Uniqueness across the cloud is the unique index on fixed_ips.mac_address; a collision is retried.
/// </summary>
public static class MacAddresses
{
    public const string Prefix = "52:54:00";

    public static string New()
    {
        Span<byte> tail = stackalloc byte[3];
        RandomNumberGenerator.Fill(tail);
        return $"{Prefix}:{tail[0]:x2}:{tail[1]:x2}:{tail[2]:x2}";
    }
}
