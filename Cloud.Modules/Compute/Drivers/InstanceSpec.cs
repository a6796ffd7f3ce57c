using Cloud.Modules.Network;

namespace Cloud.Modules.Compute.Drivers;

/// <summary>What a driver needs to build an instance's domain; the manager fills it from the instance row.</summary>
/// <param name="Name">The domain name, <c>instance-%08x</c>.</param>
/// <param name="Uuid">The instance's UUID (the domain's UUID).</param>
/// <param name="MemoryMb">Guest RAM in MiB.</param>
/// <param name="Vcpus">Guest virtual CPUs.</param>
/// <param name="RootGb">Root disk size in GiB (0: the image's own size).</param>
/// <param name="ImageRef">The machine image (glance id).</param>
/// <param name="KernelId">The kernel image, or null to boot the machine image's own.</param>
/// <param name="RamdiskId">The ramdisk image, or null.</param>
/// <param name="KeyData">The public key to inject, or null.</param>
/// <param name="UserData">Base64 user data, or null.</param>
/// <param name="ProjectId">The owning project (images are fetched from glance on its behalf).</param>
/// <param name="UserId">The owning user.</param>
/// <param name="Network">The NIC the network role allocated, or null for an instance without network.</param>
/// <param name="Hostname">The guest's host name (<see cref="InstanceHostname"/>), for its config drive.</param>
/// <param name="ConfigDrive">Give it a config drive (<c>--flat_injected</c>: its address reaches it only that way or by metadata).</param>
/// <param name="Volumes">Its volumes, connected before it boots; one with boot index 0 is its root disk (then no image is fetched).</param>
public sealed record InstanceSpec(
    string Name,
    string Uuid,
    long MemoryMb,
    long Vcpus,
    long RootGb,
    string ImageRef,
    string? KernelId,
    string? RamdiskId,
    string? KeyData,
    string? UserData,
    string ProjectId = "",
    string UserId = "",
    InstanceNetwork? Network = null,
    string? Hostname = null,
    bool ConfigDrive = false,
    IReadOnlyList<VolumeDisk>? Volumes = null)
{
    /// <summary>The volume that is the root disk (boot from volume), or null.</summary>
    public VolumeDisk? RootVolume => Volumes?.FirstOrDefault(v => v.IsRoot);
}
