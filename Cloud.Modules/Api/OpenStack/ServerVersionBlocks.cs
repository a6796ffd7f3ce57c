using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// What each microversion changed in the detailed server view, one method per version, applied in order by
/// <see cref="ServerView.Detail"/> to answers at that version or later (a later block may replace an earlier key). A
/// new version's change is one method and one row of <see cref="All"/>.
/// </summary>
public static class ServerVersionBlocks
{
    /// <summary>(minor version from which the block applies, the block), in version order.</summary>
    public static IReadOnlyList<(int Since, Action<Dictionary<string, object?>, ServerFacts, ServerViewOptions> Add)> All { get; } =
    [
        (3, V2_3ExtendedAttributes),
        (9, V2_9Locked),
        (16, V2_16HostStatus),
        (19, V2_19Description),
        (26, V2_26Tags),
        (47, V2_47EmbeddedFlavor),
        (63, V2_63TrustedCertificates),
        (71, V2_71ServerGroups),
        (73, V2_73LockedReason),
        (90, V2_90Hostname),
    ];

    /// <summary>2.3: more OS-EXT-SRV-ATTR keys for admins; delete_on_termination on attached volumes.</summary>
    private static void V2_3ExtendedAttributes(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options)
    {
        var instance = facts.Instance;
        if (options.ExtendedVolumes)
        {
            server["os-extended-volumes:volumes_attached"] = facts.Volumes.Select(v => new Dictionary<string, object> { ["id"] = v.Id, ["delete_on_termination"] = v.DeleteOnTermination }).ToList();
        }
        if (!options.AdminAttributes || !facts.Admin)
        {
            return;
        }
        server["OS-EXT-SRV-ATTR:reservation_id"] = instance.ReservationId;
        server["OS-EXT-SRV-ATTR:launch_index"] = instance.LaunchIndex;
        server["OS-EXT-SRV-ATTR:hostname"] = facts.Hostname;
        server["OS-EXT-SRV-ATTR:kernel_id"] = instance.KernelId ?? "";
        server["OS-EXT-SRV-ATTR:ramdisk_id"] = instance.RamdiskId ?? "";
        server["OS-EXT-SRV-ATTR:root_device_name"] = facts.RootDeviceName;
        if (options.AdminUserData)
        {
            server["OS-EXT-SRV-ATTR:user_data"] = instance.UserData;
        }
    }

    /// <summary>2.9: locked.</summary>
    private static void V2_9Locked(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options) =>
        server["locked"] = facts.Instance.Locked;

    /// <summary>2.16: host_status, for admins (nova's policy default).</summary>
    private static void V2_16HostStatus(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options)
    {
        if (options.HostStatus && facts.Admin)
        {
            server["host_status"] = facts.HostStatus;
        }
    }

    /// <summary>2.19: description.</summary>
    private static void V2_19Description(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options) =>
        server["description"] = facts.Instance.Description;

    /// <summary>2.26: tags.</summary>
    private static void V2_26Tags(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options) =>
        server["tags"] = facts.Tags;

    /// <summary>2.47: the flavor embedded (what the server was built with) instead of a link to it.</summary>
    private static void V2_47EmbeddedFlavor(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options)
    {
        var instance = facts.Instance;
        server["flavor"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["vcpus"] = instance.Vcpus,
            ["ram"] = instance.MemoryMb,
            ["disk"] = instance.RootGb,
            // NOTE(novamv): cloudd's flavors have no ephemeral disk or swap yet.
            ["ephemeral"] = 0,
            ["swap"] = 0,
            ["original_name"] = facts.Flavor?.Name ?? "",
            ["extra_specs"] = facts.FlavorExtraSpecs,
        };
    }

    /// <summary>2.63: trusted_image_certificates.</summary>
    private static void V2_63TrustedCertificates(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options) =>
        server["trusted_image_certificates"] = facts.TrustedCertificates;

    /// <summary>2.71: server_groups (show, update, rebuild; not the detail list).</summary>
    private static void V2_71ServerGroups(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options)
    {
        if (options.ServerGroups)
        {
            server["server_groups"] = facts.ServerGroups;
        }
    }

    /// <summary>2.73: locked_reason.</summary>
    private static void V2_73LockedReason(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options) =>
        server["locked_reason"] = facts.Instance.LockedReason;

    /// <summary>2.90: OS-EXT-SRV-ATTR:hostname for everyone.</summary>
    private static void V2_90Hostname(Dictionary<string, object?> server, ServerFacts facts, ServerViewOptions options) =>
        server["OS-EXT-SRV-ATTR:hostname"] = facts.Hostname;
}
