using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Scheduler;

/// <summary>
/// Places a new volume (cast to <c>scheduler</c> through Volume's <see cref="Volume.IVolumeScheduler"/> port): a volume host
/// of its zone with room under <c>--max_gigabytes</c>, or error with "No valid host was found". nova-scheduler's
/// <c>create_volume</c>, named like <c>schedule_run_instance</c> because the volume host's message is <c>create_volume</c>.
/// </summary>
/// <param name="VolumeUuid">The volume, in status creating (its row gives its zone and size).</param>
[RpcMethod("schedule_create_volume")]
public sealed record ScheduleCreateVolume(string VolumeUuid) : IRpcMessage;
