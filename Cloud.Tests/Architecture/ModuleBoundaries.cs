namespace Cloud.Tests.Architecture;

/// <summary>
/// The boundary table: for each module, the modules it may use and the tables it owns. <see cref="BoundaryTests"/>
/// is generated from these rows and fails, naming file, type or table and rule, on:
/// <list type="number">
/// <item>Contract: module M references a type of module N (the module its namespace names) when N is not in M's
/// <c>MayUse</c>, or when the type is not N's contract. N's contract is: every type whose name ends in <c>Api</c> or
/// <c>RpcClient</c>, its flags (<c>*Flags</c>: every host parses every module's flags, so a flag is public
/// configuration), and every type declared in a <c>*Messages.cs</c> file or under a <c>Messages/</c> folder (records,
/// enums, and the small port interfaces a lower module declares for a higher one to implement). Everything else
/// (stores, managers, drivers, <c>Db/</c>, flags) is N's own. The Kernel is the shared kernel: all of it is contract.</item>
/// <item>Tables: SQL in M (after FROM, JOIN, INTO, UPDATE or TABLE) names only M's tables, and every table M creates is listed in M's row.</item>
/// <item>Drivers (nova N307/N311): a file under <c>Drivers/</c> uses no database code (Dapper, Kernel.Db, a <c>Db</c>
/// namespace) and no other driver. A driver is a folder under <c>Drivers/</c> or a concrete <c>*Driver</c> class at its
/// root; the other root files are the seam (interfaces, shared records, the factory that picks a driver).</item>
/// <item>Cycles: no module reaches itself through <c>MayUse</c>.</item>
/// </list>
/// A module reaching a higher one at run time does it through a port interface in its own <c>Messages/</c> that the
/// higher module's <c>XxxModule</c> registers (e.g. Compute's <c>IBuildScheduler</c>, Network's <c>IInstanceDirectory</c>).
/// </summary>
internal static class ModuleBoundaries
{
    public static readonly IReadOnlyList<ModuleBoundary> Rows =
    [
        new("Kernel", [], ["services", "migrate_version", "migrate_progress", "rpc_outbox", "quota_locks"]),
        new("Identity", ["Kernel"],
            ["users", "projects", "user_project_association", "user_project_role_association", "quotas", "token_signing_keys", "token_revocations",
                "quota_classes",
                "domains", "project_tags", "identity_groups", "user_group_membership", "roles", "implied_roles", "role_assignments",
                "application_credentials", "application_credential_roles", "access_rules", "application_credential_access_rules", "ec2_credentials"]),
        new("Glance", ["Kernel", "Identity"], ["images", "image_properties", "image_members", "image_tags", "cached_images", "image_tasks"]),
        new("Network", ["Kernel", "Identity"], ["networks", "fixed_ips", "floating_ips", "network_underlay"]),
        new("Volume", ["Kernel", "Identity", "Glance"], ["volumes", "volume_metadata", "snapshots", "iscsi_targets", "volume_hosts", "volume_glance_metadata"]),
        new("Compute", ["Kernel", "Identity", "Glance", "Network", "Volume"],
            ["instances", "instance_actions", "instance_actions_events", "instance_metadata", "instance_security_groups", "security_groups", "security_group_rules",
                "flavors", "flavor_extra_specs", "flavor_projects", "key_pairs", "compute_nodes", "migrations", "shelved_instances", "instance_groups",
                "instance_group_members", "instance_tags", "instance_extras"]),
        new("Scheduler", ["Kernel", "Compute", "Volume"], []),
        new("Swift", ["Kernel", "Identity"], ["account_info", "container", "container_info", "object", "replica_id", "incoming_sync", "container_sync"]),
        new("Api", ["Kernel", "Identity", "Glance", "Network", "Volume", "Compute", "Scheduler"], []),
    ];

    public static ModuleBoundary Of(string module) => Rows.Single(r => r.Module == module);
}
