namespace Cloud.Modules.Compute.Drivers;

/// <summary>A domain as the hypervisor sees it.</summary>
/// <param name="Name">The domain name.</param>
/// <param name="State">Its power state.</param>
/// <param name="MemoryMb">RAM given to it, in MiB.</param>
/// <param name="Vcpus">Its virtual CPUs.</param>
public sealed record InstanceInfo(string Name, PowerState State, long MemoryMb, long Vcpus);
