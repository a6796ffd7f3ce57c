namespace Cloud.Modules.Compute;

/// <summary>An instance type: the resources an instance gets (nova's flavors; the seed's m1.tiny … m1.xlarge).</summary>
public sealed class Flavor
{
    /// <summary>The row's number, which instances keep as their <c>instance_type_id</c>.</summary>
    public long Id { get; init; }

    /// <summary>The flavor id the Compute API shows and takes (nova's flavorid: any string; "1".."5" for the defaults).</summary>
    public string FlavorId { get; init; } = "";

    public string Name { get; init; } = "";

    public long MemoryMb { get; init; }

    public long Vcpus { get; init; }

    public long RootGb { get; init; }

    /// <summary>Swap disk in MiB; 0 for none.</summary>
    public long Swap { get; init; }

    public long EphemeralGb { get; init; }

    public double RxtxFactor { get; init; } = 1;

    /// <summary>False for a private flavor: only the projects given access (and admins) see and use it.</summary>
    public bool IsPublic { get; init; } = true;

    public bool Disabled { get; init; }

    /// <summary>Free text (2.55); null when none.</summary>
    public string? Description { get; init; }

    public DateTime CreatedAt { get; init; }
}
