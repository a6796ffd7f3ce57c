using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Compute;

/// <summary>Builds and boots a placed instance on this host (cast to <c>compute.&lt;host&gt;</c> by the scheduler).</summary>
/// <param name="InstanceUuid">The instance, already assigned to this host.</param>
[RpcMethod("run_instance")]
public sealed record RunInstance(string InstanceUuid) : IRpcMessage;

/// <summary>Destroys the instance's domain, marks it deleted and releases its claim on the host.</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("terminate_instance")]
public sealed record TerminateInstance(string InstanceUuid) : IRpcMessage;

/// <summary>Reboots the instance.</summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="Hard">True resets the domain; false asks the guest.</param>
[RpcMethod("reboot_instance")]
public sealed record RebootInstance(string InstanceUuid, bool Hard) : IRpcMessage;

/// <summary>Powers the instance off; it keeps its host and claim (vm_state stopped).</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("stop_instance")]
public sealed record StopInstance(string InstanceUuid) : IRpcMessage;

/// <summary>Powers a stopped instance on.</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("start_instance")]
public sealed record StartInstance(string InstanceUuid) : IRpcMessage;

/// <summary>Returns the serial console's output (a call; the reply is <see cref="ConsoleOutput"/>).</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("get_console_output")]
public sealed record GetConsoleOutput(string InstanceUuid) : IRpcMessage;

/// <summary>The reply to <see cref="GetConsoleOutput"/>.</summary>
/// <param name="Output">The console text; null when the host has no guest for the instance (not yet spawned, being
/// deleted or moved), which the API answers as Nova does, 404 — an exception would cross the bus as a 500.</param>
public sealed record ConsoleOutput(string? Output);

/// <summary>
/// A group's rules changed: every compute host rewrites the chains of its instances in that group (fanout on
/// <c>compute_fanout</c>, as nova's Diablo did).
/// </summary>
/// <param name="SecurityGroupId">The group whose rules were added or removed.</param>
[RpcMethod("refresh_security_group_rules")]
public sealed record RefreshSecurityGroupRules(long SecurityGroupId) : IRpcMessage;

/// <summary>
/// A group's members changed (an instance joined, left, got its address or went): every compute host rewrites the
/// chains of its instances with a rule whose source is that group (fanout).
/// </summary>
/// <param name="SecurityGroupId">The group whose members changed.</param>
[RpcMethod("refresh_security_group_members")]
public sealed record RefreshSecurityGroupMembers(long SecurityGroupId) : IRpcMessage;

/// <summary>The instance's groups changed: its host rewrites its chains (cast to <c>compute.&lt;host&gt;</c>).</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("refresh_instance_security_rules")]
public sealed record RefreshInstanceSecurityRules(string InstanceUuid) : IRpcMessage;

/// <summary>
/// Connects a reserved (attaching) volume to the instance as <paramref name="Device"/> and makes it in-use; on failure
/// the volume is unreserved and nothing stays half-attached (cast to <c>compute.&lt;host&gt;</c>).
/// </summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="VolumeUuid">The volume, already reserved for it.</param>
/// <param name="Device">The device it was reserved as, e.g. /dev/vdb.</param>
[RpcMethod("attach_volume")]
public sealed record AttachVolume(string InstanceUuid, string VolumeUuid, string Device) : IRpcMessage;

/// <summary>Disconnects a detaching volume from the instance once the guest let go, then makes it available (cast).</summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="VolumeUuid">The volume, detaching.</param>
[RpcMethod("detach_volume")]
public sealed record DetachVolume(string InstanceUuid, string VolumeUuid) : IRpcMessage;

/// <summary>Pauses the instance's vCPUs (vm_state paused); cast to <c>compute.&lt;host&gt;</c> once the API set task_state pausing.</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("pause_instance")]
public sealed record PauseInstance(string InstanceUuid) : IRpcMessage;

/// <summary>Lets a paused instance run again (vm_state active).</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("unpause_instance")]
public sealed record UnpauseInstance(string InstanceUuid) : IRpcMessage;

/// <summary>Saves the instance's memory to disk and stops it (vm_state suspended).</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("suspend_instance")]
public sealed record SuspendInstance(string InstanceUuid) : IRpcMessage;

/// <summary>Boots a suspended instance from its saved memory (vm_state active).</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("resume_instance")]
public sealed record ResumeInstance(string InstanceUuid) : IRpcMessage;

/// <summary>Boots the instance from <paramref name="RescueImageRef"/> with its own disk attached second (vm_state rescued).</summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="RescueImageRef">The image to boot: the one asked for, else the instance's own.</param>
[RpcMethod("rescue_instance")]
public sealed record RescueInstance(string InstanceUuid, string RescueImageRef) : IRpcMessage;

/// <summary>Ends a rescue: the instance boots from its own disk again (vm_state active).</summary>
/// <param name="InstanceUuid">The instance.</param>
[RpcMethod("unrescue_instance")]
public sealed record UnrescueInstance(string InstanceUuid) : IRpcMessage;
