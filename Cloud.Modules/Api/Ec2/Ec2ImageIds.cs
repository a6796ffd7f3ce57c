using System.Security.Cryptography;
using System.Text;

namespace Cloud.Modules.Api.Ec2;

/// <summary>
/// EC2 ids of glance images (<c>ami-</c>, <c>aki-</c>, <c>ari-</c> and eight hex digits), derived from the glance id
/// so they are stable across processes and restarts with no mapping table: the first eight hex digits of the UUID,
/// or of its SHA-256 when the id does not start with them. Two images sharing those digits are refused by lookup
/// as ambiguous rather than confused.
/// </summary>
public static class Ec2ImageIds
{
    public const string Machine = "ami";
    public const string Kernel = "aki";
    public const string Ramdisk = "ari";

    /// <summary>The EC2 id of glance image <paramref name="glanceId"/> with the given prefix.</summary>
    public static string Format(string prefix, string glanceId)
    {
        ArgumentNullException.ThrowIfNull(glanceId);
        var head = glanceId.Length >= 8 && glanceId[..8].All(Uri.IsHexDigit)
            ? glanceId[..8].ToLowerInvariant()
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(glanceId)))[..8].ToLowerInvariant();
        return $"{prefix}-{head}";
    }

    /// <summary>The prefix EC2 shows for a glance container format (aki kernel, ari ramdisk, else machine).</summary>
    public static string PrefixOf(string? containerFormat) => containerFormat switch
    {
        "aki" => Kernel,
        "ari" => Ramdisk,
        _ => Machine,
    };

    /// <summary>The eight hex digits of <c>ami-0a1b2c3d</c> (any of the three prefixes), or null for anything else.</summary>
    public static string? DigitsOf(string ec2Id)
    {
        ArgumentNullException.ThrowIfNull(ec2Id);
        return ec2Id.Length == 12 && ec2Id[3] == '-' && ec2Id[..3] is Machine or Kernel or Ramdisk && ec2Id[4..].All(Uri.IsHexDigit)
            ? ec2Id[4..].ToLowerInvariant()
            : null;
    }

    /// <summary>The type EC2 shows for a glance container format.</summary>
    public static string TypeOf(string? containerFormat) => containerFormat switch
    {
        "aki" => "kernel",
        "ari" => "ramdisk",
        _ => "machine",
    };
}
