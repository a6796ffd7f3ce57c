using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Volume;

/// <summary>
/// Sent to <c>volume.&lt;host&gt;</c> once the volume is placed there: create its backing store (empty, from its snapshot
/// or a clone of its source), give it an iSCSI target and CHAP credentials, export it and make it available (a cast).
/// </summary>
/// <param name="VolumeUuid">The volume (its row says everything else).</param>
[RpcMethod("create_volume")]
public sealed record CreateVolume(string VolumeUuid) : IRpcMessage;

/// <summary>Sent to the volume's host: remove its export, wipe and remove its backing store, free its target, delete its row (a cast).</summary>
/// <param name="VolumeUuid">The volume, in status deleting.</param>
[RpcMethod("delete_volume")]
public sealed record DeleteVolume(string VolumeUuid) : IRpcMessage;

/// <summary>Sent to the volume's host: grow the backing store to the size the row's extend asked for (a cast).</summary>
/// <param name="VolumeUuid">The volume, in status extending.</param>
[RpcMethod("extend_volume")]
public sealed record ExtendVolume(string VolumeUuid) : IRpcMessage;

/// <summary>Sent to the volume's host: take the snapshot's point-in-time copy (a cast).</summary>
/// <param name="SnapshotUuid">The snapshot, in status creating.</param>
[RpcMethod("create_snapshot")]
public sealed record CreateSnapshot(string SnapshotUuid) : IRpcMessage;

/// <summary>Sent to the snapshot's host: wipe and remove the snapshot and delete its row (a cast).</summary>
/// <param name="SnapshotUuid">The snapshot, in status deleting.</param>
[RpcMethod("delete_snapshot")]
public sealed record DeleteSnapshot(string SnapshotUuid) : IRpcMessage;

/// <summary>Sent to the volume's host: ensure its export and tell how to reach it (a call; the reply is <see cref="VolumeConnection"/>).</summary>
/// <param name="VolumeUuid">The volume.</param>
/// <param name="ConnectorHost">The compute host that will connect.</param>
[RpcMethod("initialize_connection")]
public sealed record InitializeConnection(string VolumeUuid, string ConnectorHost) : IRpcMessage;

/// <summary>Sent to the volume's host: the compute host is done with the connection (a call; the reply is null).</summary>
/// <param name="VolumeUuid">The volume.</param>
/// <param name="ConnectorHost">The compute host that disconnected.</param>
[RpcMethod("terminate_connection")]
public sealed record TerminateConnection(string VolumeUuid, string ConnectorHost) : IRpcMessage;
