namespace Cloud.Modules.Compute;

/// <summary>What RunInstances / POST /servers ask for. The API layer checks the image exists (glance) before calling.</summary>
/// <param name="ImageRef">The machine image (glance id).</param>
/// <param name="Flavor">Flavor id (<c>1</c>) or name (<c>m1.tiny</c>, EC2's InstanceType).</param>
/// <param name="MinCount">Fewest instances to start, else nothing starts (default 1).</param>
/// <param name="MaxCount">Most instances to start; quotas may cut it down to <paramref name="MinCount"/> (default 1).</param>
public sealed record CreateInstancesRequest(string ImageRef, string Flavor, int MinCount = 1, int MaxCount = 1)
{
    /// <summary>The display name; with several instances each gets <c>name-N</c> (N from 1). Default: the EC2 id.</summary>
    public string? DisplayName { get; init; }

    public string? KeyName { get; init; }

    /// <summary>Security group names of the caller's project; empty means <c>default</c>.</summary>
    public IReadOnlyList<string> SecurityGroups { get; init; } = [];

    /// <summary>Base64 user data.</summary>
    public string? UserData { get; init; }

    public string? AvailabilityZone { get; init; }

    public string? KernelId { get; init; }

    public string? RamdiskId { get; init; }

    /// <summary>Server metadata (key/value).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The image's properties for the scheduler's ImagePropertiesFilter, when the API layer has them.</summary>
    public IReadOnlyDictionary<string, string>? ImageProperties { get; init; }

    /// <summary>Volumes to attach at boot (block_device_mapping); a mapping with boot index 0 makes the volume the root disk, and then <see cref="ImageRef"/> may be empty.</summary>
    public IReadOnlyList<BlockDeviceMapping> BlockDeviceMappings { get; init; } = [];

    /// <summary>networks "none" (2.37): the instances get no NIC. Default false: a NIC on the host's network.</summary>
    public bool NoNetwork { get; init; }

    /// <summary>The uuid of the caller's server group the instances join (<c>os:scheduler_hints.group</c>), or null.</summary>
    public string? ServerGroup { get; init; }
}
