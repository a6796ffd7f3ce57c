namespace Cloud.Modules.Volume;

/// <summary>A volume host as the scheduler sees it: its zone, whether its service is up, and the capacity it last reported.</summary>
/// <param name="Host">The host's <c>--host</c>.</param>
/// <param name="AvailabilityZone">Its <c>--node_availability_zone</c>.</param>
/// <param name="IsUp">Heartbeat within <c>--service_down_time</c>.</param>
/// <param name="TotalGb">Backing store size.</param>
/// <param name="FreeGb">Backing store free space.</param>
/// <param name="AllocatedGb">Sum of the sizes of the volumes placed on it (what SimpleScheduler compares with <c>--max_gigabytes</c>).</param>
public sealed record VolumeHostState(string Host, string AvailabilityZone, bool IsUp, long TotalGb, long FreeGb, long AllocatedGb);
