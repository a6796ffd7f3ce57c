using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Identity;

/// <summary>Default quotas of every project (nova's quota_* flags); <c>manage project quota</c> overrides them per project.</summary>
public sealed class QuotaFlags : IValidatedFlags
{
    [ConfigurationKeyName("quota_instances")]
    [Description("Default quota: instances per project.")]
    public long Instances { get; set; } = 10;

    [ConfigurationKeyName("quota_cores")]
    [Description("Default quota: instance cores per project.")]
    public long Cores { get; set; } = 20;

    [ConfigurationKeyName("quota_ram")]
    [Description("Default quota: instance RAM (MiB) per project.")]
    public long Ram { get; set; } = 51200;

    [ConfigurationKeyName("quota_volumes")]
    [Description("Default quota: volumes per project.")]
    public long Volumes { get; set; } = 10;

    [ConfigurationKeyName("quota_gigabytes")]
    [Description("Default quota: volume gigabytes per project.")]
    public long Gigabytes { get; set; } = 1000;

    [ConfigurationKeyName("quota_floating_ips")]
    [Description("Default quota: floating IPs per project.")]
    public long FloatingIps { get; set; } = 10;

    [ConfigurationKeyName("quota_security_groups")]
    [Description("Default quota: security groups per project.")]
    public long SecurityGroups { get; set; } = 10;

    [ConfigurationKeyName("quota_key_pairs")]
    [Description("Default quota: key pairs per user.")]
    public long KeyPairs { get; set; } = 100;

    [ConfigurationKeyName("quota_images")]
    [Description("Default quota: images per project.")]
    public long Images { get; set; } = 100;

    [ConfigurationKeyName("quota_server_groups")]
    [Description("Default quota: server groups per project.")]
    public long ServerGroups { get; set; } = 10;

    [ConfigurationKeyName("quota_server_group_members")]
    [Description("Default quota: servers per server group.")]
    public long ServerGroupMembers { get; set; } = 10;

    [ConfigurationKeyName("quota_object_bytes")]
    [Description("Default quota: object-store bytes per project (-1: unlimited).")]
    public long ObjectBytes { get; set; } = -1;

    [ConfigurationKeyName("quota_metadata_items")]
    [Description("Default quota: metadata items per instance.")]
    public long MetadataItems { get; set; } = 128;

    [ConfigurationKeyName("quota_injected_files")]
    [Description("Default quota: injected files per instance.")]
    public long InjectedFiles { get; set; } = 5;

    [ConfigurationKeyName("quota_injected_file_content_bytes")]
    [Description("Default quota: bytes of one injected file.")]
    public long InjectedFileContentBytes { get; set; } = 10240;

    [ConfigurationKeyName("quota_injected_file_path_bytes")]
    [Description("Default quota: bytes of an injected file's path.")]
    public long InjectedFilePathBytes { get; set; } = 255;

    [ConfigurationKeyName("quota_security_group_rules")]
    [Description("Default quota: rules per security group.")]
    public long SecurityGroupRules { get; set; } = 20;

    /// <summary>Every quota by its resource name (the name <c>manage project quota</c> takes).</summary>
    public IReadOnlyDictionary<string, long> ByResource() => new SortedDictionary<string, long>(StringComparer.Ordinal)
    {
        ["instances"] = Instances,
        ["cores"] = Cores,
        ["ram"] = Ram,
        ["volumes"] = Volumes,
        ["gigabytes"] = Gigabytes,
        ["floating_ips"] = FloatingIps,
        ["security_groups"] = SecurityGroups,
        ["key_pairs"] = KeyPairs,
        ["images"] = Images,
        ["object_bytes"] = ObjectBytes,
        ["metadata_items"] = MetadataItems,
        ["injected_files"] = InjectedFiles,
        ["injected_file_content_bytes"] = InjectedFileContentBytes,
        ["injected_file_path_bytes"] = InjectedFilePathBytes,
        ["security_group_rules"] = SecurityGroupRules,
        ["server_groups"] = ServerGroups,
        ["server_group_members"] = ServerGroupMembers,
    };

    /// <summary>Refuses values that cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        foreach (var (resource, limit) in ByResource())
        {
            FlagError.Require(limit >= -1, $"quota_{resource}", limit, "must be -1 (unlimited) or more");
        }
    }
}
