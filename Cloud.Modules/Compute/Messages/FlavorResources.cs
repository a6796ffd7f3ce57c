namespace Cloud.Modules.Compute;

/// <summary>A flavor's id and the resources an instance of it holds (what a resize swaps).</summary>
public sealed record FlavorResources(long InstanceTypeId, long MemoryMb, long Vcpus, long RootGb)
{
    public static FlavorResources Of(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new(instance.InstanceTypeId, instance.MemoryMb, instance.Vcpus, instance.RootGb);
    }

    public static FlavorResources Of(Flavor flavor)
    {
        ArgumentNullException.ThrowIfNull(flavor);
        return new(flavor.Id, flavor.MemoryMb, flavor.Vcpus, flavor.RootGb);
    }

    public static FlavorResources OldOf(Migration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return new(migration.OldInstanceTypeId, migration.OldMemoryMb, migration.OldVcpus, migration.OldRootGb);
    }

    public static FlavorResources NewOf(Migration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        return new(migration.NewInstanceTypeId, migration.NewMemoryMb, migration.NewVcpus, migration.NewRootGb);
    }
}
