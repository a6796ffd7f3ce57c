using static Cloud.Modules.Api.Metadata.MetadataVersions;

namespace Cloud.Modules.Api.Metadata;

/// <summary>
/// Request paths to metadata nodes, as nova maps them: <c>/</c> lists the EC2 versions, <c>/openstack/...</c> is the
/// OpenStack tree, anything else (optionally under <c>/ec2</c>) the EC2 tree. Empty segments and a trailing
/// <c>/</c> do not matter, as nova normalises them away.
/// </summary>
public static class MetadataTree
{
    /// <summary>Longest request path served; longer ones are refused before any lookup.</summary>
    public const int MaxPathLength = 1024;

    /// <summary>The path's segments, or an error: 400 for an overlong path or control characters, 404 for <c>.</c>/<c>..</c> segments.</summary>
    public static (IReadOnlyList<string> Segments, int Status) Parse(string? path)
    {
        path ??= "/";
        if (path.Length > MaxPathLength || path.Any(char.IsControl))
        {
            return ([], 400);
        }
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Any(s => s is "." or "..") ? ([], 404) : (segments, 200);
    }

    /// <summary>True for <c>/</c>, which nova answers to anyone (no guest needed).</summary>
    public static bool IsRoot(IReadOnlyList<string> segments) => segments.Count == 0;

    /// <summary>The EC2 version listing <c>/</c> answers with.</summary>
    public static MetadataNode Root => Listing(Ec2Versions);

    /// <summary>The node at <paramref name="segments"/> of <paramref name="guest"/>'s trees, or null (404).</summary>
    public static MetadataNode? Find(GuestFacts guest, IReadOnlyList<string> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (segments.Count > 0 && segments[0] == "openstack")
        {
            return segments.Count == 1 ? Listing(OpenStackVersions) : OpenStackMetadataTree.For(guest, segments[1])?.Find(segments.Skip(2));
        }
        var ec2 = segments.Count > 0 && segments[0] == "ec2" ? segments.Skip(1).ToList() : segments;
        return ec2.Count == 0 ? Root : Ec2MetadataTree.For(guest, ec2[0])?.Find(ec2.Skip(1));
    }
}
