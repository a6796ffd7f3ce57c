using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Compute;

/// <summary>
/// The only code that knows the compute topic. Everything goes to one host's topic, <c>compute.&lt;host&gt;</c>, but the
/// security group refreshes, which go to every host (<c>compute_fanout</c>).
/// </summary>
/// <remarks>
/// Version history:
/// 1.0 - run_instance, terminate_instance, reboot_instance, stop_instance, start_instance, get_console_output.
/// 1.1 - refresh_security_group_rules, refresh_security_group_members (fanout), refresh_instance_security_rules.
/// 1.2 - attach_volume, detach_volume.
/// 1.3 - pause_instance, unpause_instance, suspend_instance, resume_instance, rescue_instance, unrescue_instance.
/// 1.4 - rebuild_instance, resize_instance, finish_resize, confirm_resize, revert_resize, finish_revert_resize,
///       snapshot_instance, shelve_instance, shelve_offload_instance, unshelve_instance (<see cref="IInstanceMoveMessage"/>).
/// </remarks>
public sealed class ComputeRpcClient(IRpcBus bus)
{
    public const string Topic = "compute";

    private static readonly TimeSpan ConsoleTimeout = TimeSpan.FromSeconds(30);

    public Task RunInstanceAsync(RequestContext context, string host, string uuid, CancellationToken cancellationToken) =>
        CastAsync(context, host, new RunInstance(uuid), cancellationToken);

    public Task TerminateInstanceAsync(RequestContext context, string host, string uuid, CancellationToken cancellationToken) =>
        CastAsync(context, host, new TerminateInstance(uuid), cancellationToken);

    public Task RebootInstanceAsync(RequestContext context, string host, string uuid, bool hard, CancellationToken cancellationToken) =>
        CastAsync(context, host, new RebootInstance(uuid, hard), cancellationToken);

    public Task StopInstanceAsync(RequestContext context, string host, string uuid, CancellationToken cancellationToken) =>
        CastAsync(context, host, new StopInstance(uuid), cancellationToken);

    public Task StartInstanceAsync(RequestContext context, string host, string uuid, CancellationToken cancellationToken) =>
        CastAsync(context, host, new StartInstance(uuid), cancellationToken);

    /// <summary>The guest's console text, or null when its host has no guest for it.</summary>
    public async Task<string?> GetConsoleOutputAsync(RequestContext context, string host, string uuid, CancellationToken cancellationToken) =>
        (await bus.CallAsync<ConsoleOutput>(context, Kernel.Bus.Topic.ForHost(Topic, host), new GetConsoleOutput(uuid), ConsoleTimeout, cancellationToken).ConfigureAwait(false)).Output;

    public Task RefreshSecurityGroupRulesAsync(RequestContext context, long groupId, CancellationToken cancellationToken) =>
        bus.FanoutCastAsync(context, Topic, new RefreshSecurityGroupRules(groupId), cancellationToken);

    public Task RefreshSecurityGroupMembersAsync(RequestContext context, long groupId, CancellationToken cancellationToken) =>
        bus.FanoutCastAsync(context, Topic, new RefreshSecurityGroupMembers(groupId), cancellationToken);

    public Task RefreshInstanceSecurityRulesAsync(RequestContext context, string host, string uuid, CancellationToken cancellationToken) =>
        CastAsync(context, host, new RefreshInstanceSecurityRules(uuid), cancellationToken);

    public Task AttachVolumeAsync(RequestContext context, string host, string uuid, string volumeUuid, string device, CancellationToken cancellationToken) =>
        CastAsync(context, host, new AttachVolume(uuid, volumeUuid, device), cancellationToken);

    public Task DetachVolumeAsync(RequestContext context, string host, string uuid, string volumeUuid, CancellationToken cancellationToken) =>
        CastAsync(context, host, new DetachVolume(uuid, volumeUuid), cancellationToken);

    /// <summary>Casts a rebuild, resize, snapshot or shelve message to <paramref name="host"/>.</summary>
    public Task CastMoveAsync(RequestContext context, string host, IInstanceMoveMessage message, CancellationToken cancellationToken) =>
        CastAsync(context, host, message, cancellationToken);

    /// <summary>Casts one of the guest state changes (<see cref="PauseInstance"/>, ..., <see cref="UnrescueInstance"/>) to the instance's host.</summary>
    public Task ChangeGuestStateAsync(RequestContext context, string host, IRpcMessage message, CancellationToken cancellationToken) =>
        CastAsync(context, host, message, cancellationToken);

    private Task CastAsync(RequestContext context, string host, IRpcMessage message, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.ForHost(Topic, host), message, cancellationToken);
}
