using Cloud.Modules.Api.Ec2;
using static Cloud.Modules.Api.Metadata.MetadataVersions;

namespace Cloud.Modules.Api.Metadata;

/// <summary>
/// The EC2 metadata tree of one guest at one version (<c>/latest/meta-data/...</c>, <c>/latest/user-data</c>), with
/// the keys each version added as nova serves them.
/// </summary>
public static class Ec2MetadataTree
{
    /// <summary>The root device as the EC2 API describes it (rootDeviceName).</summary>
    private const string RootDevice = "/dev/vda";

    /// <summary>The version directory (<c>meta-data/</c> and, when there is some, <c>user-data</c>); null for an unknown version.</summary>
    public static MetadataNode? For(GuestFacts guest, string requestedVersion)
    {
        ArgumentNullException.ThrowIfNull(guest);
        if (Resolve(Ec2Versions, requestedVersion) is not { } version)
        {
            return null;
        }
        var root = new Dictionary<string, MetadataNode>(StringComparer.Ordinal) { ["meta-data"] = MetaData(guest, version) };
        if (guest.UserData is { } userData)
        {
            root["user-data"] = MetadataNode.Bytes(userData, "application/octet-stream");
        }
        return MetadataNode.Directory(root);
    }

    private static MetadataNode MetaData(GuestFacts guest, string version)
    {
        var instance = guest.Instance;
        var keys = new Dictionary<string, MetadataNode>(StringComparer.Ordinal)
        {
            ["ami-id"] = MetadataNode.Text(Ec2ImageIds.Format(Ec2ImageIds.Machine, instance.ImageRef)),
            ["ami-launch-index"] = MetadataNode.Text(instance.LaunchIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            // Images come from glance, not from an S3 bundle manifest; EC2 answers this for such images.
            ["ami-manifest-path"] = MetadataNode.Text("(unknown)"),
            ["hostname"] = MetadataNode.Text(guest.Hostname),
            ["instance-id"] = MetadataNode.Text(instance.Ec2Id),
            ["local-ipv4"] = MetadataNode.Text(guest.Guest.Network.Address),
            ["reservation-id"] = MetadataNode.Text(instance.ReservationId),
            ["security-groups"] = MetadataNode.Lines(guest.Guest.SecurityGroups),
        };
        if (guest.PublicKey is var (name, key))
        {
            // nova's odd rendering: public-keys/ lists "0=name", public-keys/0/ lists "openssh-key".
            var first = MetadataNode.Directory(new Dictionary<string, MetadataNode>(StringComparer.Ordinal)
            {
                ["openssh-key"] = MetadataNode.Text(key.EndsWith('\n') ? key : key + "\n"),
            }, listedAs: $"0={name}");
            keys["public-keys"] = MetadataNode.Directory(new Dictionary<string, MetadataNode>(StringComparer.Ordinal) { ["0"] = first });
        }
        if (AtLeast(Ec2Versions, version, "2007-01-19"))
        {
            keys["local-hostname"] = MetadataNode.Text(guest.Hostname);
            keys["public-hostname"] = MetadataNode.Text(guest.Hostname);
            keys["public-ipv4"] = MetadataNode.Text(guest.PublicIpv4 ?? "");
        }
        if (AtLeast(Ec2Versions, version, "2007-08-29"))
        {
            keys["instance-type"] = MetadataNode.Text(guest.Guest.FlavorName ?? "");
        }
        if (AtLeast(Ec2Versions, version, "2007-12-15"))
        {
            keys["block-device-mapping"] = MetadataNode.Directory(new Dictionary<string, MetadataNode>(StringComparer.Ordinal)
            {
                ["ami"] = MetadataNode.Text(RootDevice["/dev/".Length..]),
                ["root"] = MetadataNode.Text(RootDevice),
            });
            if (instance.KernelId is { } kernel)
            {
                keys["kernel-id"] = MetadataNode.Text(Ec2ImageIds.Format(Ec2ImageIds.Kernel, kernel));
            }
            if (instance.RamdiskId is { } ramdisk)
            {
                keys["ramdisk-id"] = MetadataNode.Text(Ec2ImageIds.Format(Ec2ImageIds.Ramdisk, ramdisk));
            }
        }
        if (AtLeast(Ec2Versions, version, "2008-02-01"))
        {
            keys["placement"] = MetadataNode.Directory(new Dictionary<string, MetadataNode>(StringComparer.Ordinal)
            {
                ["availability-zone"] = MetadataNode.Text(guest.AvailabilityZone),
            });
        }
        if (AtLeast(Ec2Versions, version, "2008-09-01"))
        {
            keys["instance-action"] = MetadataNode.Text("none");
        }
        return MetadataNode.Directory(keys);
    }
}
