using System.Globalization;
using System.Text.Json;
using Cloud.Modules.Compute;

namespace Cloud.Modules.Api.OpenStack;

/// <summary>
/// Writes nova's detailed server view straight to a <see cref="Utf8JsonWriter"/>, for the pages of
/// <c>/servers/detail</c>: the same keys in the same order, the same values, as <see cref="NovaJsonTree"/> writes the
/// dictionary of <see cref="ServerView.Detail"/> (which single-server answers still build, since rebuild adds keys to
/// it). Building that dictionary (some 45 keys, boxed numbers, nested dictionaries and lists) for each of 1,000
/// servers was 17 % of a page's CPU. Where a later microversion replaces a key in place (2.3's volumes, 2.47's
/// flavor, 2.90's hostname) the writer picks the value when it reaches the key's first position. A test
/// (ServerDetailJsonTests) holds it to the dictionary's bytes at every microversion, admin or not, for each set of
/// options: a new block in <see cref="ServerVersionBlocks"/> fails it until written here too.
/// </summary>
public static class ServerDetailJson
{
    private static readonly HashSet<string> ProgressStatuses = new(StringComparer.Ordinal) { "ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING" };

    /// <summary>The page's servers as the <c>servers</c> array's items.</summary>
    public static void WriteMany(Utf8JsonWriter writer, string baseUrl, Microversion version, IReadOnlyList<ServerFacts> servers, ServerViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(servers);
        foreach (var facts in servers)
        {
            Write(writer, baseUrl, version, facts, options);
        }
    }

    /// <summary>One server's detailed view at <paramref name="version"/> with the sections of <paramref name="options"/>.</summary>
    public static void Write(Utf8JsonWriter writer, string baseUrl, Microversion version, ServerFacts facts, ServerViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);
        var instance = facts.Instance;
        var status = ServerView.Status(instance);
        writer.WriteStartObject();
        writer.WriteString("id", instance.Uuid);
        writer.WriteString("name", instance.DisplayName);
        writer.WritePropertyName("links");
        WriteLinks(writer, baseUrl, instance.Uuid);
        writer.WriteString("status", status);
        writer.WriteString("tenant_id", instance.ProjectId);
        writer.WriteString("user_id", instance.UserId);
        WriteStrings(writer, "metadata", facts.Metadata);
        writer.WriteString("hostId", instance.Host is null ? "" : ServerView.HostId(instance.ProjectId, instance.Host));
        writer.WriteString("created", NovaJson.Timestamp(instance.CreatedAt));
        writer.WriteString("updated", NovaJson.Timestamp(instance.UpdatedAt));
        if (string.IsNullOrEmpty(instance.ImageRef))
        {
            writer.WriteString("image", "");
        }
        else
        {
            WriteReference(writer, "image", instance.ImageRef, $"{baseUrl}/images/{instance.ImageRef}");
        }
        WriteFlavor(writer, baseUrl, version, facts);
        WriteAddresses(writer, facts, options.ExtendedAddresses);
        writer.WriteString("accessIPv4", instance.AccessIpV4 ?? "");
        writer.WriteString("accessIPv6", instance.AccessIpV6 ?? "");
        writer.WriteString("OS-DCF:diskConfig", facts.DiskConfig);
        if (status is "ERROR" or "DELETED" && instance.FaultMessage is { } message)
        {
            writer.WriteStartObject("fault");
            writer.WriteNumber("code", instance.FaultCode ?? 500);
            writer.WriteString("created", NovaJson.Timestamp(instance.UpdatedAt));
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }
        if (ProgressStatuses.Contains(status))
        {
            writer.WriteNumber("progress", 0);
        }
        var hostnameWritten = WriteSections(writer, version, facts, options);
        WriteVersionBlocks(writer, version, facts, options, hostnameWritten);
        writer.WriteEndObject();
    }

    /// <summary>The 2.1 sections with 2.3's changes in place; true when the admin hostname (2.3) was written.</summary>
    private static bool WriteSections(Utf8JsonWriter writer, Microversion version, ServerFacts facts, ServerViewOptions options)
    {
        var instance = facts.Instance;
        if (options.AvailabilityZone)
        {
            writer.WriteString("OS-EXT-AZ:availability_zone", instance.AvailabilityZone ?? "nova");
        }
        if (options.ConfigDrive)
        {
            writer.WriteString("config_drive", "");
        }
        if (options.KeyName)
        {
            writer.WriteString("key_name", instance.KeyName);
        }
        if (options.Usage)
        {
            writer.WriteString("OS-SRV-USG:launched_at", instance.LaunchedAt is { } launched ? ServerView.Microseconds(launched) : null);
            writer.WriteString("OS-SRV-USG:terminated_at", instance.TerminatedAt is { } terminated ? ServerView.Microseconds(terminated) : null);
        }
        if (options.SecurityGroups && facts.SecurityGroups.Count > 0)
        {
            writer.WriteStartArray("security_groups");
            foreach (var group in facts.SecurityGroups)
            {
                writer.WriteStartObject();
                writer.WriteString("name", group);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        var admin = options.AdminAttributes && facts.Admin;
        if (admin)
        {
            writer.WriteString("OS-EXT-SRV-ATTR:host", instance.Host);
            writer.WriteString("OS-EXT-SRV-ATTR:hypervisor_hostname", instance.Host);
            writer.WriteString("OS-EXT-SRV-ATTR:instance_name", instance.Name);
        }
        if (options.ExtendedStatus)
        {
            writer.WriteString("OS-EXT-STS:task_state", instance.TaskState);
            writer.WriteString("OS-EXT-STS:vm_state", instance.VmState);
            writer.WriteNumber("OS-EXT-STS:power_state", (int)instance.PowerState);
        }
        if (options.ExtendedVolumes)
        {
            writer.WriteStartArray("os-extended-volumes:volumes_attached");
            foreach (var volume in facts.Volumes)
            {
                writer.WriteStartObject();
                writer.WriteString("id", volume.Id);
                if (version.AtLeast(3))
                {
                    writer.WriteBoolean("delete_on_termination", volume.DeleteOnTermination);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (!version.AtLeast(3) || !admin)
        {
            return false;
        }
        writer.WriteString("OS-EXT-SRV-ATTR:reservation_id", instance.ReservationId);
        writer.WriteNumber("OS-EXT-SRV-ATTR:launch_index", instance.LaunchIndex);
        writer.WriteString("OS-EXT-SRV-ATTR:hostname", facts.Hostname);
        writer.WriteString("OS-EXT-SRV-ATTR:kernel_id", instance.KernelId ?? "");
        writer.WriteString("OS-EXT-SRV-ATTR:ramdisk_id", instance.RamdiskId ?? "");
        writer.WriteString("OS-EXT-SRV-ATTR:root_device_name", facts.RootDeviceName);
        if (options.AdminUserData)
        {
            writer.WriteString("OS-EXT-SRV-ATTR:user_data", instance.UserData);
        }
        return true;
    }

    /// <summary>The blocks of <see cref="ServerVersionBlocks"/> from 2.9 on that add keys at the end.</summary>
    private static void WriteVersionBlocks(Utf8JsonWriter writer, Microversion version, ServerFacts facts, ServerViewOptions options, bool hostnameWritten)
    {
        var instance = facts.Instance;
        if (version.AtLeast(9))
        {
            writer.WriteBoolean("locked", instance.Locked);
        }
        if (version.AtLeast(16) && options.HostStatus && facts.Admin)
        {
            writer.WriteString("host_status", facts.HostStatus);
        }
        if (version.AtLeast(19))
        {
            writer.WriteString("description", instance.Description);
        }
        if (version.AtLeast(26))
        {
            WriteStrings(writer, "tags", facts.Tags);
        }
        if (version.AtLeast(63))
        {
            WriteStrings(writer, "trusted_image_certificates", facts.TrustedCertificates);
        }
        if (version.AtLeast(71) && options.ServerGroups)
        {
            WriteStrings(writer, "server_groups", facts.ServerGroups);
        }
        if (version.AtLeast(73))
        {
            writer.WriteString("locked_reason", instance.LockedReason);
        }
        if (version.AtLeast(90) && !hostnameWritten)
        {
            writer.WriteString("OS-EXT-SRV-ATTR:hostname", facts.Hostname);
        }
    }

    /// <summary>The flavor: a reference to it, or from 2.47 what the server was built with.</summary>
    private static void WriteFlavor(Utf8JsonWriter writer, string baseUrl, Microversion version, ServerFacts facts)
    {
        var instance = facts.Instance;
        if (!version.AtLeast(47))
        {
            var flavorId = facts.Flavor?.FlavorId ?? instance.InstanceTypeId.ToString(CultureInfo.InvariantCulture);
            WriteReference(writer, "flavor", flavorId, $"{baseUrl}/flavors/{flavorId}");
            return;
        }
        writer.WriteStartObject("flavor");
        writer.WriteNumber("vcpus", instance.Vcpus);
        writer.WriteNumber("ram", instance.MemoryMb);
        writer.WriteNumber("disk", instance.RootGb);
        writer.WriteNumber("ephemeral", 0);
        writer.WriteNumber("swap", 0);
        writer.WriteString("original_name", facts.Flavor?.Name ?? "");
        WriteStrings(writer, "extra_specs", facts.FlavorExtraSpecs);
        writer.WriteEndObject();
    }

    /// <summary><see cref="ServerView.Addresses"/>: by network label in the order the labels first appear; none while building.</summary>
    private static void WriteAddresses(Utf8JsonWriter writer, ServerFacts facts, bool extended)
    {
        writer.WriteStartObject("addresses");
        if (facts.Instance.VmState != VmStates.Building)
        {
            var addresses = facts.Addresses;
            for (var first = 0; first < addresses.Count; first++)
            {
                var label = addresses[first].NetworkLabel;
                if (!IsFirstOfLabel(addresses, first))
                {
                    continue;
                }
                writer.WriteStartArray(label);
                for (var next = first; next < addresses.Count; next++)
                {
                    var a = addresses[next];
                    if (!string.Equals(a.NetworkLabel, label, StringComparison.Ordinal))
                    {
                        continue;
                    }
                    writer.WriteStartObject();
                    writer.WriteString("addr", a.Address);
                    writer.WriteNumber("version", a.Address.Contains(':', StringComparison.Ordinal) ? 6 : 4);
                    if (extended)
                    {
                        writer.WriteString("OS-EXT-IPS:type", a.Type);
                        writer.WriteString("OS-EXT-IPS-MAC:mac_addr", a.MacAddress);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
        }
        writer.WriteEndObject();
    }

    private static bool IsFirstOfLabel(IReadOnlyList<Network.FixedAddress> addresses, int index)
    {
        for (var earlier = 0; earlier < index; earlier++)
        {
            if (string.Equals(addresses[earlier].NetworkLabel, addresses[index].NetworkLabel, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The self and bookmark links of <see cref="NovaJson.Links(string, string, string)"/>.</summary>
    private static void WriteLinks(Utf8JsonWriter writer, string baseUrl, string uuid)
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString("rel", "self");
        writer.WriteString("href", $"{baseUrl}/v2.1/servers/{uuid}");
        writer.WriteEndObject();
        writer.WriteStartObject();
        writer.WriteString("rel", "bookmark");
        writer.WriteString("href", $"{baseUrl}/servers/{uuid}");
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>A <see cref="NovaReference"/> as <see cref="NovaJsonTree"/> writes it.</summary>
    private static void WriteReference(Utf8JsonWriter writer, string name, string id, string bookmark)
    {
        writer.WriteStartObject(name);
        writer.WriteString("id", id);
        writer.WriteStartArray("links");
        writer.WriteStartObject();
        writer.WriteString("rel", "bookmark");
        writer.WriteString("href", bookmark);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    }

    /// <summary>A list of strings, or null.</summary>
    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }
        writer.WriteEndArray();
    }
}
