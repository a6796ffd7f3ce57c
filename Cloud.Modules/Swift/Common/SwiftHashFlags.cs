using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// swift.conf's <c>[swift-hash]</c>: salts of every name's hash, so placement cannot be predicted from outside.
/// Every proxy and storage host must use the same values, and they must never change once data is stored.
/// </summary>
public sealed class SwiftHashFlags : IValidatedFlags
{
    [ConfigurationKeyName("swift_hash_path_prefix")]
    [Secret]
    [Description("swift.conf [swift-hash] swift_hash_path_prefix: salt before every hashed name.")]
    public string SwiftHashPathPrefix { get; set; } = "";

    [ConfigurationKeyName("swift_hash_path_suffix")]
    [Secret]
    [Description("swift.conf [swift-hash] swift_hash_path_suffix: salt after every hashed name; set a secret value before storing data.")]
    public string SwiftHashPathSuffix { get; set; } = "cloudd";

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(SwiftHashPathPrefix.Length > 0 || SwiftHashPathSuffix.Length > 0, "swift_hash_path_suffix", "",
            "set a secret salt here or in --swift_hash_path_prefix (swift refuses both empty)");
    }
}
