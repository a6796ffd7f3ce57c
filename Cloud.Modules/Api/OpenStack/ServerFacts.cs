using Cloud.Modules.Compute;
using Cloud.Modules.Network;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Everything nova's detailed server view shows about one server, loaded by <see cref="ServerDetails"/> for one
/// server or a page of them in a few queries. A new field of a later microversion adds a property here, its loading in
/// <see cref="ServerDetails"/> and one block in <see cref="ServerVersionBlocks"/>.
/// </summary>
public sealed record ServerFacts(Instance Instance)
{
    /// <summary>The empty map every server without metadata or extra specs shares (read only): a page built two new dictionaries per server for them.</summary>
    public static readonly IReadOnlyDictionary<string, string> NoStrings = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = NoStrings;

    /// <summary>Security group names.</summary>
    public IReadOnlyList<string> SecurityGroups { get; init; } = [];

    /// <summary>Fixed IPs, then floating IPs.</summary>
    public IReadOnlyList<FixedAddress> Addresses { get; init; } = [];

    /// <summary>Attached volumes (os-extended-volumes:volumes_attached; delete_on_termination from 2.3).</summary>
    public IReadOnlyList<ServerVolumeFact> Volumes { get; init; } = [];

    /// <summary>The caller may see the admin attributes (OS-EXT-SRV-ATTR:*, host_status): nova's admin policy defaults.</summary>
    public bool Admin { get; init; }

    /// <summary>The flavor the server was built from (its name for 2.47's original_name); null when deleted since.</summary>
    public Flavor? Flavor { get; init; }

    /// <summary>The flavor's extra specs (2.47 embeds them).</summary>
    public IReadOnlyDictionary<string, string> FlavorExtraSpecs { get; init; } = NoStrings;

    /// <summary>Server tags (2.26).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The guest's hostname (OS-EXT-SRV-ATTR:hostname; everyone's from 2.90).</summary>
    public string Hostname { get; init; } = "";

    /// <summary>Trusted image certificate ids (2.63), null when none were given.</summary>
    public IReadOnlyList<string>? TrustedCertificates { get; init; }

    /// <summary>OS-DCF:diskConfig: AUTO or MANUAL.</summary>
    public string DiskConfig { get; init; } = "MANUAL";

    /// <summary>The guest's root device (OS-EXT-SRV-ATTR:root_device_name, 2.3).</summary>
    public string? RootDeviceName { get; init; }

    /// <summary>host_status (2.16): UP, DOWN, MAINTENANCE, UNKNOWN, or "" without a host.</summary>
    public string HostStatus { get; init; } = "";

    /// <summary>The uuids of the server groups it belongs to (2.71), at most one.</summary>
    public IReadOnlyList<string> ServerGroups { get; init; } = [];
}
