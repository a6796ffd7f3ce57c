using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Volume;

/// <summary>
/// The names a volume's integer id gives it on its host: the backing store (<c>--volume_name_template</c>, volume-%08x),
/// its snapshots' (<c>--snapshot_name_template</c>) and its iSCSI target (<c>--iscsi_target_prefix</c> + the backing name).
/// </summary>
public sealed partial class VolumeNames(IOptions<VolumeFlags> flags)
{
    public string Volume(long id) => Format(flags.Value.VolumeNameTemplate, id);

    public string Snapshot(long id) => Format(flags.Value.SnapshotNameTemplate, id);

    public string Iqn(long volumeId) => flags.Value.IscsiTargetPrefix + Volume(volumeId);

    /// <summary>Whether <paramref name="iqn"/> looks like one of cloudd's volume targets (what the start-up sweep may remove).</summary>
    public bool IsVolumeIqn(string iqn) => iqn.StartsWith(flags.Value.IscsiTargetPrefix, StringComparison.Ordinal);

    /// <summary>nova's <c>template % id</c> for the one conversion a template has (%x, %08x, %d, %s).</summary>
    public static string Format(string template, long id) =>
        Conversion().Replace(template, m =>
        {
            var width = m.Groups["width"].Value;
            var text = m.Groups["kind"].Value == "x" ? id.ToString("x", CultureInfo.InvariantCulture) : id.ToString(CultureInfo.InvariantCulture);
            var pad = width.Length == 0 ? 0 : int.Parse(width, CultureInfo.InvariantCulture);
            return text.PadLeft(pad, m.Groups["zero"].Success ? '0' : ' ');
        }, 1);

    [GeneratedRegex("%(?<zero>0)?(?<width>[0-9]*)(?<kind>[xds])")]
    private static partial Regex Conversion();
}
