namespace Cloud.Modules.Compute;

/// <summary>An instance type: the resources an instance gets (nova's flavors; the seed's m1.tiny … m1.xlarge).</summary>
public sealed class Flavor
{
    /// <summary>The flavor id the APIs show (nova's flavorid; 1..5 for the defaults).</summary>
    public long Id { get; init; }

    public string Name { get; init; } = "";

    public long MemoryMb { get; init; }

    public long Vcpus { get; init; }

    public long RootGb { get; init; }

    public DateTime CreatedAt { get; init; }
}
