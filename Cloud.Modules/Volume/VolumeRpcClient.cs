using Cloud.Modules.Kernel.Auth;
using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Volume;

/// <summary>The only code that knows the volume topic: everything goes to the volume's host, <c>volume.&lt;host&gt;</c>.</summary>
/// <remarks>
/// Version history:
/// 1.0 - create_volume, delete_volume, extend_volume, create_snapshot, delete_snapshot, initialize_connection,
///       terminate_connection.
/// </remarks>
public sealed class VolumeRpcClient(IRpcBus bus)
{
    public const string Topic = "volume";

    public Task CreateVolumeAsync(RequestContext context, string host, string volumeUuid, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.ForHost(Topic, host), new CreateVolume(volumeUuid), cancellationToken);

    public Task DeleteVolumeAsync(RequestContext context, string host, string volumeUuid, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.ForHost(Topic, host), new DeleteVolume(volumeUuid), cancellationToken);

    public Task ExtendVolumeAsync(RequestContext context, string host, string volumeUuid, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.ForHost(Topic, host), new ExtendVolume(volumeUuid), cancellationToken);

    public Task CreateSnapshotAsync(RequestContext context, string host, string snapshotUuid, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.ForHost(Topic, host), new CreateSnapshot(snapshotUuid), cancellationToken);

    public Task DeleteSnapshotAsync(RequestContext context, string host, string snapshotUuid, CancellationToken cancellationToken) =>
        bus.CastAsync(context, Kernel.Bus.Topic.ForHost(Topic, host), new DeleteSnapshot(snapshotUuid), cancellationToken);

    public Task<VolumeConnection> InitializeConnectionAsync(RequestContext context, string host, string volumeUuid, string connectorHost, CancellationToken cancellationToken) =>
        bus.CallAsync<VolumeConnection>(context, Kernel.Bus.Topic.ForHost(Topic, host), new InitializeConnection(volumeUuid, connectorHost), null, cancellationToken);

    public async Task TerminateConnectionAsync(RequestContext context, string host, string volumeUuid, string connectorHost, CancellationToken cancellationToken) =>
        await bus.CallAsync<object?>(context, Kernel.Bus.Topic.ForHost(Topic, host), new TerminateConnection(volumeUuid, connectorHost), null, cancellationToken).ConfigureAwait(false);
}
