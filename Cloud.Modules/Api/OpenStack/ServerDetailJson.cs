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
    // The property names, encoded once: given as strings, the writer checks each for characters to escape and
    // transcodes it to UTF-8 for every server of every page.
    private static readonly JsonEncodedText AccessIPv4 = JsonEncodedText.Encode("accessIPv4");
    private static readonly JsonEncodedText AccessIPv6 = JsonEncodedText.Encode("accessIPv6");
    private static readonly JsonEncodedText Addr = JsonEncodedText.Encode("addr");
    private static readonly JsonEncodedText Addresses = JsonEncodedText.Encode("addresses");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText ConfigDrive = JsonEncodedText.Encode("config_drive");
    private static readonly JsonEncodedText Created = JsonEncodedText.Encode("created");
    private static readonly JsonEncodedText DeleteOnTermination = JsonEncodedText.Encode("delete_on_termination");
    private static readonly JsonEncodedText Description = JsonEncodedText.Encode("description");
    private static readonly JsonEncodedText Disk = JsonEncodedText.Encode("disk");
    private static readonly JsonEncodedText Ephemeral = JsonEncodedText.Encode("ephemeral");
    private static readonly JsonEncodedText ExtraSpecs = JsonEncodedText.Encode("extra_specs");
    private static readonly JsonEncodedText Fault = JsonEncodedText.Encode("fault");
    private static readonly JsonEncodedText Flavor = JsonEncodedText.Encode("flavor");
    private static readonly JsonEncodedText HostId = JsonEncodedText.Encode("hostId");
    private static readonly JsonEncodedText HostStatus = JsonEncodedText.Encode("host_status");
    private static readonly JsonEncodedText Href = JsonEncodedText.Encode("href");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Image = JsonEncodedText.Encode("image");
    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key_name");
    private static readonly JsonEncodedText Links = JsonEncodedText.Encode("links");
    private static readonly JsonEncodedText Locked = JsonEncodedText.Encode("locked");
    private static readonly JsonEncodedText LockedReason = JsonEncodedText.Encode("locked_reason");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Metadata = JsonEncodedText.Encode("metadata");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText OSDCFDiskConfig = JsonEncodedText.Encode("OS-DCF:diskConfig");
    private static readonly JsonEncodedText OSEXTAZAvailabilityZone = JsonEncodedText.Encode("OS-EXT-AZ:availability_zone");
    private static readonly JsonEncodedText OSEXTIPSMACMacAddr = JsonEncodedText.Encode("OS-EXT-IPS-MAC:mac_addr");
    private static readonly JsonEncodedText OSEXTIPSType = JsonEncodedText.Encode("OS-EXT-IPS:type");
    private static readonly JsonEncodedText OSEXTSRVATTRHost = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:host");
    private static readonly JsonEncodedText OSEXTSRVATTRHostname = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:hostname");
    private static readonly JsonEncodedText OSEXTSRVATTRHypervisorHostname = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:hypervisor_hostname");
    private static readonly JsonEncodedText OSEXTSRVATTRInstanceName = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:instance_name");
    private static readonly JsonEncodedText OSEXTSRVATTRKernelId = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:kernel_id");
    private static readonly JsonEncodedText OSEXTSRVATTRLaunchIndex = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:launch_index");
    private static readonly JsonEncodedText OSEXTSRVATTRRamdiskId = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:ramdisk_id");
    private static readonly JsonEncodedText OSEXTSRVATTRReservationId = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:reservation_id");
    private static readonly JsonEncodedText OSEXTSRVATTRRootDeviceName = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:root_device_name");
    private static readonly JsonEncodedText OSEXTSRVATTRUserData = JsonEncodedText.Encode("OS-EXT-SRV-ATTR:user_data");
    private static readonly JsonEncodedText OSEXTSTSPowerState = JsonEncodedText.Encode("OS-EXT-STS:power_state");
    private static readonly JsonEncodedText OSEXTSTSTaskState = JsonEncodedText.Encode("OS-EXT-STS:task_state");
    private static readonly JsonEncodedText OSEXTSTSVmState = JsonEncodedText.Encode("OS-EXT-STS:vm_state");
    private static readonly JsonEncodedText OSSRVUSGLaunchedAt = JsonEncodedText.Encode("OS-SRV-USG:launched_at");
    private static readonly JsonEncodedText OSSRVUSGTerminatedAt = JsonEncodedText.Encode("OS-SRV-USG:terminated_at");
    private static readonly JsonEncodedText OriginalName = JsonEncodedText.Encode("original_name");
    private static readonly JsonEncodedText OsExtendedVolumesVolumesAttached = JsonEncodedText.Encode("os-extended-volumes:volumes_attached");
    private static readonly JsonEncodedText Progress = JsonEncodedText.Encode("progress");
    private static readonly JsonEncodedText Ram = JsonEncodedText.Encode("ram");
    private static readonly JsonEncodedText Rel = JsonEncodedText.Encode("rel");
    private static readonly JsonEncodedText SecurityGroups = JsonEncodedText.Encode("security_groups");
    private static readonly JsonEncodedText ServerGroups = JsonEncodedText.Encode("server_groups");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Swap = JsonEncodedText.Encode("swap");
    private static readonly JsonEncodedText Tags = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText TenantId = JsonEncodedText.Encode("tenant_id");
    private static readonly JsonEncodedText TrustedImageCertificates = JsonEncodedText.Encode("trusted_image_certificates");
    private static readonly JsonEncodedText Updated = JsonEncodedText.Encode("updated");
    private static readonly JsonEncodedText UserId = JsonEncodedText.Encode("user_id");
    private static readonly JsonEncodedText Vcpus = JsonEncodedText.Encode("vcpus");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");

    private static readonly HashSet<string> ProgressStatuses = new(StringComparer.Ordinal) { "ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING" };

    /// <summary>The page's servers as the <c>servers</c> array's items.</summary>
    public static void WriteMany(Utf8JsonWriter writer, string baseUrl, Microversion version, IReadOnlyList<ServerFacts> servers, ServerViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var hrefs = new ServerHrefs(baseUrl);
        foreach (var facts in servers)
        {
            Write(writer, hrefs, version, facts, options);
        }
    }

    /// <summary>One server's detailed view at <paramref name="version"/> with the sections of <paramref name="options"/>.</summary>
    private static void Write(Utf8JsonWriter writer, ServerHrefs hrefs, Microversion version, ServerFacts facts, ServerViewOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);
        var instance = facts.Instance;
        var status = ServerView.Status(instance);
        writer.WriteStartObject();
        writer.WriteString(Id, instance.Uuid);
        writer.WriteString(Name, instance.DisplayName);
        writer.WritePropertyName(Links);
        WriteLinks(writer, hrefs, instance.Uuid);
        writer.WriteString(Status, status);
        writer.WriteString(TenantId, instance.ProjectId);
        writer.WriteString(UserId, instance.UserId);
        WriteStrings(writer, Metadata, facts.Metadata);
        writer.WriteString(HostId, instance.Host is null ? "" : ServerView.HostId(instance.ProjectId, instance.Host));
        writer.WriteString(Created, NovaJson.Timestamp(instance.CreatedAt));
        writer.WriteString(Updated, NovaJson.Timestamp(instance.UpdatedAt));
        if (string.IsNullOrEmpty(instance.ImageRef))
        {
            writer.WriteString(Image, "");
        }
        else
        {
            WriteReference(writer, hrefs, Image, instance.ImageRef, "/images/");
        }
        WriteFlavor(writer, hrefs, version, facts);
        WriteAddresses(writer, facts, options.ExtendedAddresses);
        writer.WriteString(AccessIPv4, instance.AccessIpV4 ?? "");
        writer.WriteString(AccessIPv6, instance.AccessIpV6 ?? "");
        writer.WriteString(OSDCFDiskConfig, facts.DiskConfig);
        if (status is "ERROR" or "DELETED" && instance.FaultMessage is { } message)
        {
            writer.WriteStartObject(Fault);
            writer.WriteNumber(Code, instance.FaultCode ?? 500);
            writer.WriteString(Created, NovaJson.Timestamp(instance.UpdatedAt));
            writer.WriteString(Message, message);
            writer.WriteEndObject();
        }
        if (ProgressStatuses.Contains(status))
        {
            writer.WriteNumber(Progress, 0);
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
            writer.WriteString(OSEXTAZAvailabilityZone, instance.AvailabilityZone ?? "nova");
        }
        if (options.ConfigDrive)
        {
            writer.WriteString(ConfigDrive, "");
        }
        if (options.KeyName)
        {
            writer.WriteString(KeyName, instance.KeyName);
        }
        if (options.Usage)
        {
            writer.WriteString(OSSRVUSGLaunchedAt, instance.LaunchedAt is { } launched ? ServerView.Microseconds(launched) : null);
            writer.WriteString(OSSRVUSGTerminatedAt, instance.TerminatedAt is { } terminated ? ServerView.Microseconds(terminated) : null);
        }
        if (options.SecurityGroups && facts.SecurityGroups.Count > 0)
        {
            writer.WriteStartArray(SecurityGroups);
            foreach (var group in facts.SecurityGroups)
            {
                writer.WriteStartObject();
                writer.WriteString(Name, group);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        var admin = options.AdminAttributes && facts.Admin;
        if (admin)
        {
            writer.WriteString(OSEXTSRVATTRHost, instance.Host);
            writer.WriteString(OSEXTSRVATTRHypervisorHostname, instance.Host);
            writer.WriteString(OSEXTSRVATTRInstanceName, instance.Name);
        }
        if (options.ExtendedStatus)
        {
            writer.WriteString(OSEXTSTSTaskState, instance.TaskState);
            writer.WriteString(OSEXTSTSVmState, instance.VmState);
            writer.WriteNumber(OSEXTSTSPowerState, (int)instance.PowerState);
        }
        if (options.ExtendedVolumes)
        {
            writer.WriteStartArray(OsExtendedVolumesVolumesAttached);
            foreach (var volume in facts.Volumes)
            {
                writer.WriteStartObject();
                writer.WriteString(Id, volume.Id);
                if (version.AtLeast(3))
                {
                    writer.WriteBoolean(DeleteOnTermination, volume.DeleteOnTermination);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        if (!version.AtLeast(3) || !admin)
        {
            return false;
        }
        writer.WriteString(OSEXTSRVATTRReservationId, instance.ReservationId);
        writer.WriteNumber(OSEXTSRVATTRLaunchIndex, instance.LaunchIndex);
        writer.WriteString(OSEXTSRVATTRHostname, facts.Hostname);
        writer.WriteString(OSEXTSRVATTRKernelId, instance.KernelId ?? "");
        writer.WriteString(OSEXTSRVATTRRamdiskId, instance.RamdiskId ?? "");
        writer.WriteString(OSEXTSRVATTRRootDeviceName, facts.RootDeviceName);
        if (options.AdminUserData)
        {
            writer.WriteString(OSEXTSRVATTRUserData, instance.UserData);
        }
        return true;
    }

    /// <summary>The blocks of <see cref="ServerVersionBlocks"/> from 2.9 on that add keys at the end.</summary>
    private static void WriteVersionBlocks(Utf8JsonWriter writer, Microversion version, ServerFacts facts, ServerViewOptions options, bool hostnameWritten)
    {
        var instance = facts.Instance;
        if (version.AtLeast(9))
        {
            writer.WriteBoolean(Locked, instance.Locked);
        }
        if (version.AtLeast(16) && options.HostStatus && facts.Admin)
        {
            writer.WriteString(HostStatus, facts.HostStatus);
        }
        if (version.AtLeast(19))
        {
            writer.WriteString(Description, instance.Description);
        }
        if (version.AtLeast(26))
        {
            WriteStrings(writer, Tags, facts.Tags);
        }
        if (version.AtLeast(63))
        {
            WriteStrings(writer, TrustedImageCertificates, facts.TrustedCertificates);
        }
        if (version.AtLeast(71) && options.ServerGroups)
        {
            WriteStrings(writer, ServerGroups, facts.ServerGroups);
        }
        if (version.AtLeast(73))
        {
            writer.WriteString(LockedReason, instance.LockedReason);
        }
        if (version.AtLeast(90) && !hostnameWritten)
        {
            writer.WriteString(OSEXTSRVATTRHostname, facts.Hostname);
        }
    }

    /// <summary>The flavor: a reference to it, or from 2.47 what the server was built with.</summary>
    private static void WriteFlavor(Utf8JsonWriter writer, ServerHrefs hrefs, Microversion version, ServerFacts facts)
    {
        var instance = facts.Instance;
        if (!version.AtLeast(47))
        {
            var flavorId = facts.Flavor?.FlavorId ?? instance.InstanceTypeId.ToString(CultureInfo.InvariantCulture);
            WriteReference(writer, hrefs, Flavor, flavorId, "/flavors/");
            return;
        }
        writer.WriteStartObject(Flavor);
        writer.WriteNumber(Vcpus, instance.Vcpus);
        writer.WriteNumber(Ram, instance.MemoryMb);
        writer.WriteNumber(Disk, instance.RootGb);
        writer.WriteNumber(Ephemeral, 0);
        writer.WriteNumber(Swap, 0);
        writer.WriteString(OriginalName, facts.Flavor?.Name ?? "");
        WriteStrings(writer, ExtraSpecs, facts.FlavorExtraSpecs);
        writer.WriteEndObject();
    }

    /// <summary><see cref="ServerView.Addresses"/>: by network label in the order the labels first appear; none while building.</summary>
    private static void WriteAddresses(Utf8JsonWriter writer, ServerFacts facts, bool extended)
    {
        writer.WriteStartObject(Addresses);
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
                    writer.WriteString(Addr, a.Address);
                    writer.WriteNumber(Version, a.Address.Contains(':', StringComparison.Ordinal) ? 6 : 4);
                    if (extended)
                    {
                        writer.WriteString(OSEXTIPSType, a.Type);
                        writer.WriteString(OSEXTIPSMACMacAddr, a.MacAddress);
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
    private static void WriteLinks(Utf8JsonWriter writer, ServerHrefs hrefs, string uuid)
    {
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString(Rel, "self");
        hrefs.Write(writer, Href, "/v2.1/servers/", uuid);
        writer.WriteEndObject();
        writer.WriteStartObject();
        writer.WriteString(Rel, "bookmark");
        hrefs.Write(writer, Href, "/servers/", uuid);
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    /// <summary>A <see cref="NovaReference"/> as <see cref="NovaJsonTree"/> writes it.</summary>
    private static void WriteReference(Utf8JsonWriter writer, ServerHrefs hrefs, JsonEncodedText name, string id, string path)
    {
        writer.WriteStartObject(name);
        writer.WriteString(Id, id);
        writer.WriteStartArray(Links);
        writer.WriteStartObject();
        writer.WriteString(Rel, "bookmark");
        hrefs.Write(writer, Href, path, id);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    }

    /// <summary>A list of strings, or null.</summary>
    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string>? items)
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
