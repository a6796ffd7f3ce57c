namespace Cloud.Modules.Volume.Drivers;

/// <summary>A backing store's size and free space, in GiB (rounded down).</summary>
public sealed record VolumeBackendCapacity(long TotalGb, long FreeGb);
