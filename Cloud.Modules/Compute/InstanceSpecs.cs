using Cloud.Modules.Compute.Drivers;
using Cloud.Modules.Network;

namespace Cloud.Modules.Compute;

/// <summary>The <see cref="InstanceSpec"/> a driver builds a guest from, filled from the instance's row (spawn, rebuild, resize, unshelve).</summary>
public static class InstanceSpecs
{
    /// <param name="instance">The instance's row.</param>
    /// <param name="nic">The NIC the network role allocated, or null.</param>
    /// <param name="injectsNetwork">Give it a config drive with its network (<c>--flat_injected</c>).</param>
    /// <param name="volumes">Its volumes, connected before it boots.</param>
    public static InstanceSpec Of(Instance instance, InstanceNetwork? nic, bool injectsNetwork, IReadOnlyList<VolumeDisk>? volumes = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new InstanceSpec(
            instance.Name, instance.Uuid, instance.MemoryMb, instance.Vcpus, instance.RootGb, instance.ImageRef,
            instance.KernelId, instance.RamdiskId, instance.KeyData, instance.UserData, instance.ProjectId, instance.UserId, nic,
            InstanceHostname.Of(instance), injectsNetwork, volumes ?? []);
    }
}
