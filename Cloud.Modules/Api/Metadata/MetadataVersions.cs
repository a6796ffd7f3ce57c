namespace Cloud.Modules.Api.Metadata;

/// <summary>The versions of the metadata trees, oldest first, as nova lists them; <c>latest</c> is the newest.</summary>
public static class MetadataVersions
{
    public const string Latest = "latest";

    /// <summary>The EC2 tree's versions (nova's VERSIONS).</summary>
    public static IReadOnlyList<string> Ec2Versions { get; } =
        ["1.0", "2007-01-19", "2007-03-01", "2007-08-29", "2007-10-10", "2007-12-15", "2008-02-01", "2008-09-01", "2009-04-04"];

    public const string Folsom = "2012-08-10";
    public const string Grizzly = "2013-04-04";
    public const string Havana = "2013-10-17";
    public const string Liberty = "2015-10-15";
    public const string NewtonOne = "2016-06-30";

    /// <summary>The OpenStack tree's versions (nova's OPENSTACK_VERSIONS).</summary>
    public static IReadOnlyList<string> OpenStackVersions { get; } =
        [Folsom, Grizzly, Havana, Liberty, NewtonOne, "2016-10-06", "2017-02-22", "2018-08-27", "2020-10-14"];

    /// <summary>The version <paramref name="requested"/> names in <paramref name="versions"/> (latest: the newest), or null if unknown.</summary>
    public static string? Resolve(IReadOnlyList<string> versions, string requested)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return requested == Latest ? versions[^1] : versions.Contains(requested) ? requested : null;
    }

    /// <summary>True when <paramref name="version"/> is <paramref name="since"/> or newer in <paramref name="versions"/>.</summary>
    public static bool AtLeast(IReadOnlyList<string> versions, string version, string since)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions.IndexOf(version) >= versions.IndexOf(since);
    }

    /// <summary>A version list as its directory answers it: every version, then <c>latest</c>.</summary>
    public static MetadataNode Listing(IReadOnlyList<string> versions) => MetadataNode.Lines([.. versions, Latest]);

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }
        return -1;
    }
}
