using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel;

/// <summary>
/// Flags of the metadata service (nova-api-metadata): where the api role serves it, and the address the network
/// role's DNAT rule sends guests' 169.254.169.254:80 to. In the kernel because both roles read them.
/// </summary>
public sealed class MetadataFlags : IValidatedFlags
{
    [ConfigurationKeyName("metadata_listen")]
    [Description("Address the metadata service listens on.")]
    public string MetadataListen { get; set; } = "0.0.0.0";

    [ConfigurationKeyName("metadata_port")]
    [Description("Port of the metadata service.")]
    public int MetadataPort { get; set; } = 8775;

    [ConfigurationKeyName("metadata_host")]
    [Description("Address of the metadata service that guests' 169.254.169.254 is forwarded to.")]
    public string MetadataHost { get; set; } = "$my_ip";

    [ConfigurationKeyName("use_forwarded_for")]
    [Description("Take the guest's address from X-Forwarded-For (only behind a trusted proxy).")]
    public bool UseForwardedFor { get; set; }

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.RequirePort("metadata_port", MetadataPort);
    }
}
