using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Common;

/// <summary>Where the rings are: read by the proxy to place requests and by the storage role's replicators and updaters.</summary>
public sealed class SwiftRingFlags : IValidatedFlags
{
    [ConfigurationKeyName("swift_dir")]
    [Description("Directory holding account.ring.gz, container.ring.gz and object.ring.gz (swift's default is /etc/swift).")]
    public string SwiftDir { get; set; } = "$state_path/swift";

    [ConfigurationKeyName("swift_storage_policies")]
    [Description("swift.conf's [storage-policy:N] sections: comma-separated N:name[|alias...][:default], e.g. 0:Policy-0:default,1:silver. Policy N keeps its objects with the ring object-N.ring.gz (object.ring.gz for 0).")]
    public string SwiftStoragePolicies { get; set; } = Common.SwiftStoragePolicies.Single;

    /// <summary>The policies the flag names.</summary>
    public SwiftStoragePolicies Policies => Common.SwiftStoragePolicies.Parse(SwiftStoragePolicies, out _);

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(SwiftDir.Trim().Length > 0, "swift_dir", SwiftDir, "must name the directory of the rings");
        Common.SwiftStoragePolicies.Parse(SwiftStoragePolicies, out var problem);
        FlagError.Require(problem is null, "swift_storage_policies", SwiftStoragePolicies, problem ?? "");
    }
}
