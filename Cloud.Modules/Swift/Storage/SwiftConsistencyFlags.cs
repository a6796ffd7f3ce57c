using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Swift.Storage;

/// <summary>
/// Flags of the storage role's consistency daemons (swift's object-replicator, object-auditor, object-updater,
/// container-replicator, container-updater and account-replicator sections). Each daemon runs one pass per interval,
/// the first one interval after start; an interval of 0 turns the daemon off (<c>cloudd swift ... --once</c> still runs it).
/// </summary>
public sealed class SwiftConsistencyFlags : IValidatedFlags
{
    [ConfigurationKeyName("swift_object_replicator_interval")]
    [Description("Seconds between object replication passes (0: off).")]
    public int ObjectReplicatorInterval { get; set; } = 30;

    [ConfigurationKeyName("swift_container_replicator_interval")]
    [Description("Seconds between container database replication passes (0: off).")]
    public int ContainerReplicatorInterval { get; set; } = 30;

    [ConfigurationKeyName("swift_account_replicator_interval")]
    [Description("Seconds between account database replication passes (0: off).")]
    public int AccountReplicatorInterval { get; set; } = 30;

    [ConfigurationKeyName("swift_db_replicator_per_diff")]
    [Description("Rows sent per request when replicating a container or account database (swift's per_diff); each batch stays under the servers' 1 MiB body limit.")]
    public int DbReplicatorPerDiff { get; set; } = 500;

    [ConfigurationKeyName("swift_object_auditor_interval")]
    [Description("Seconds between object auditor passes, which check every object's MD5 and metadata (0: off).")]
    public int ObjectAuditorInterval { get; set; } = 30;

    [ConfigurationKeyName("swift_object_updater_interval")]
    [Description("Seconds between object updater passes, which retry failed container updates (0: off).")]
    public int ObjectUpdaterInterval { get; set; } = 30;

    [ConfigurationKeyName("swift_container_updater_interval")]
    [Description("Seconds between container updater passes, which send container totals to the account (0: off).")]
    public int ContainerUpdaterInterval { get; set; } = 30;

    [ConfigurationKeyName("swift_account_reaper_interval")]
    [Description("Seconds between account reaper passes, which delete the objects and containers of deleted accounts (0: off).")]
    public int AccountReaperInterval { get; set; } = 30;

    [ConfigurationKeyName("swift_expirer_interval")]
    [Description("Seconds between passes of the object expirer, which deletes objects whose X-Delete-At has passed (swift-object-expirer's interval); 0: off.")]
    public int ExpirerInterval { get; set; } = 300;

    [ConfigurationKeyName("swift_reclaim_age")]
    [Description("Seconds a tombstone (deleted object or database row) is kept before it is reclaimed (default: 7 days); longer than any node stays down.")]
    public int ReclaimAge { get; set; } = 604800;

    [ConfigurationKeyName("swift_storage_node_timeout")]
    [Description("Seconds a storage server waits for another one (container updates, replication) before giving up on it.")]
    public int NodeTimeout { get; set; } = 10;

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        foreach (var (name, seconds) in new[]
        {
            ("swift_object_replicator_interval", ObjectReplicatorInterval), ("swift_container_replicator_interval", ContainerReplicatorInterval),
            ("swift_account_replicator_interval", AccountReplicatorInterval), ("swift_object_auditor_interval", ObjectAuditorInterval),
            ("swift_object_updater_interval", ObjectUpdaterInterval), ("swift_container_updater_interval", ContainerUpdaterInterval),
            ("swift_account_reaper_interval", AccountReaperInterval), ("swift_expirer_interval", ExpirerInterval),
        })
        {
            FlagError.Require(seconds >= 0, name, seconds, "must be 0 (off) or more seconds");
        }
        FlagError.Require(DbReplicatorPerDiff >= 1, "swift_db_replicator_per_diff", DbReplicatorPerDiff, "must be at least 1 row");
        FlagError.Require(ReclaimAge >= 1, "swift_reclaim_age", ReclaimAge, "must be at least 1 second");
        FlagError.Require(NodeTimeout >= 1, "swift_storage_node_timeout", NodeTimeout, "must be at least 1 second");
    }
}
