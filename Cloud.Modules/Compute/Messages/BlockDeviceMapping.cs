namespace Cloud.Modules.Compute;

/// <summary>
/// A volume to attach to a new instance (nova's block_device_mapping(_v2) with source "volume"): the root disk when
/// <paramref name="BootIndex"/> is 0 (boot from volume), a data disk otherwise.
/// </summary>
/// <param name="VolumeUuid">The caller's project's available volume.</param>
/// <param name="DeviceName">The device asked for (e.g. /dev/vdb); null = the next free one.</param>
/// <param name="BootIndex">0 for the root disk; null or ≥ 1 for a data disk.</param>
/// <param name="DeleteOnTermination">Delete the volume when the instance is deleted.</param>
public sealed record BlockDeviceMapping(string VolumeUuid, string? DeviceName, int? BootIndex, bool DeleteOnTermination);
