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

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(SwiftDir.Trim().Length > 0, "swift_dir", SwiftDir, "must name the directory of the rings");
    }
}
