using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Common;

/// <summary>
/// Container sync (swift's container-sync-realms.conf, the container_sync middleware and the [container-sync] daemon):
/// read by the proxy, which checks X-Container-Sync-To and lets synced writes in, and by the storage role's
/// container-sync daemon, which pushes the rows out.
/// </summary>
public sealed class SwiftContainerSyncFlags : IValidatedFlags
{
    [ConfigurationKeyName("swift_container_sync_realms")]
    [Secret]
    [Description("Container sync realms (swift's container-sync-realms.conf): realm,key=K[,key2=K2],cluster_NAME=https://host/v1/[,...], realms separated by ';'. X-Container-Sync-To //realm/cluster/account/container must name one. Empty: no realms.")]
    public string SwiftContainerSyncRealms { get; set; } = "";

    [ConfigurationKeyName("swift_allowed_sync_hosts")]
    [Description("Hosts an X-Container-Sync-To full URL may name (swift's allowed_sync_hosts), comma-separated.")]
    public string SwiftAllowedSyncHosts { get; set; } = "127.0.0.1";

    [ConfigurationKeyName("swift_container_sync_allow_full_urls")]
    [Description("Accept X-Container-Sync-To full URLs (on swift_allowed_sync_hosts) besides //realm/cluster values (swift's allow_full_urls).")]
    public bool SwiftContainerSyncAllowFullUrls { get; set; } = true;

    [ConfigurationKeyName("swift_container_sync_interval")]
    [Description("Seconds between passes of the container-sync daemon, which pushes new rows of containers with X-Container-Sync-To to their remote container (swift's [container-sync] interval); 0: off.")]
    public int SwiftContainerSyncInterval { get; set; } = 300;

    [ConfigurationKeyName("swift_container_sync_timeout")]
    [Description("Seconds the container-sync daemon waits for the remote cluster on one request (swift's conn_timeout/request timeout).")]
    public int SwiftContainerSyncTimeout { get; set; } = 20;

    /// <summary>The parsed realms.</summary>
    public ContainerSyncRealms Realms => ContainerSyncRealms.Parse(SwiftContainerSyncRealms);

    /// <summary>The allowed sync hosts.</summary>
    public IReadOnlyCollection<string> AllowedHosts => new HashSet<string>(
        SwiftAllowedSyncHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        _ = Realms;
        FlagError.Require(SwiftContainerSyncInterval >= 0, "swift_container_sync_interval", SwiftContainerSyncInterval, "must be 0 (off) or more seconds");
        FlagError.Require(SwiftContainerSyncTimeout >= 1, "swift_container_sync_timeout", SwiftContainerSyncTimeout, "must be at least 1 second");
    }
}
