using System.Text.RegularExpressions;
using Cloud.Modules.Kernel;

namespace Cloud.Modules.Compute;

/// <summary>
/// Device names of volumes as the APIs take and show them (<c>/dev/vdb</c>, or <c>/dev/sdb</c> as EC2 clients ask), and the
/// virtio disk each becomes in the domain (<c>vdb</c>: every volume is a virtio disk, so <c>/dev/sdX</c> maps to <c>vdX</c>).
/// <c>vda</c> is the root disk. The guest names disks in probe order, so the serial (the volume's uuid) is what identifies one.
/// </summary>
public static partial class VolumeDevices
{
    /// <summary>The root disk's device.</summary>
    public const string Root = "/dev/vda";

    /// <summary>
    /// The device a new volume gets: <paramref name="requested"/> when valid and free, else (null) the first free /dev/vdX.
    /// Invalid → 400 "The supplied device path (X) is invalid."; taken → 409 "The supplied device path (X) is in use.".
    /// </summary>
    /// <param name="requested">The device asked for, or null/empty/"auto" for the next free one.</param>
    /// <param name="used">The devices the instance's volumes have (its root disk is always taken).</param>
    public static string Choose(string? requested, IEnumerable<string?> used)
    {
        var taken = new HashSet<char>(used.OfType<string>().Where(d => Device().IsMatch(d)).Select(Letter)) { 'a' };
        if (string.IsNullOrEmpty(requested) || requested == "auto")
        {
            for (var letter = 'b'; letter <= 'z'; letter++)
            {
                if (!taken.Contains(letter))
                {
                    return "/dev/vd" + letter;
                }
            }
            throw CloudException.Invalid("No free disk device names for prefix 'vd'");
        }
        if (!Device().IsMatch(requested))
        {
            throw CloudException.Invalid($"The supplied device path ({requested}) is invalid.");
        }
        return taken.Contains(Letter(requested))
            ? throw CloudException.Conflict($"The supplied device path ({requested}) is in use.")
            : requested;
    }

    /// <summary>The domain's target dev of a device: <c>/dev/vdc</c> and <c>/dev/sdc</c> are both <c>vdc</c>.</summary>
    public static string TargetDev(string device) =>
        Device().IsMatch(device) ? "vd" + Letter(device) : throw new ArgumentException($"not a volume device: {device}", nameof(device));

    /// <summary>Whether <paramref name="device"/> is a device name this cloud can give a volume.</summary>
    public static bool IsValid(string device) => Device().IsMatch(device);

    private static char Letter(string device) => device[^1];

    [GeneratedRegex("^/dev/(vd|sd|xvd)[a-z]$")]
    private static partial Regex Device();
}
