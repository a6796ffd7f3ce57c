using System.Globalization;

namespace Cloud.Modules.Api.Ec2;

/// <summary>The seed's EC2 ids of volumes and snapshots: <c>vol-%08x</c> and <c>snap-%08x</c> from the integer ids.</summary>
public static class Ec2VolumeIds
{
    public static string Volume(long id) => $"vol-{id:x8}";

    public static string Snapshot(long id) => $"snap-{id:x8}";

    /// <summary>The integer id of <c>vol-0000000a</c>; anything else is EC2's InvalidVolumeID.Malformed.</summary>
    public static long ParseVolume(string ec2Id) => Parse(ec2Id, "vol-", "InvalidVolumeID.Malformed");

    /// <summary>The integer id of <c>snap-0000000a</c>; anything else is EC2's InvalidSnapshotID.Malformed.</summary>
    public static long ParseSnapshot(string ec2Id) => Parse(ec2Id, "snap-", "InvalidSnapshotID.Malformed");

    private static long Parse(string ec2Id, string prefix, string code)
    {
        ArgumentNullException.ThrowIfNull(ec2Id);
        return ec2Id.StartsWith(prefix, StringComparison.Ordinal)
            && ec2Id.Length > prefix.Length
            && long.TryParse(ec2Id.AsSpan(prefix.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
            && id > 0
            ? id
            : throw new Ec2ActionException(code, $"Invalid id: \"{ec2Id}\" (expecting \"{prefix}...\")");
    }
}
