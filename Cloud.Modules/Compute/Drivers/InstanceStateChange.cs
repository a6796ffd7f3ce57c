namespace Cloud.Modules.Compute.Drivers;

/// <summary>The hypervisor saw an instance's domain change power state on its own (a guest that powered itself off, a crash, ...).</summary>
/// <param name="Uuid">The instance's UUID (the domain's).</param>
/// <param name="State">The power state it is in now.</param>
public sealed record InstanceStateChange(string Uuid, PowerState State);
