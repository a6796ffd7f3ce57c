using Cloud.Modules.Kernel.Bus;

namespace Cloud.Modules.Compute;

/// <summary>A message of rebuild, resize, snapshot or shelve, handled on the host by <see cref="InstanceMoveManager"/>.</summary>
public interface IInstanceMoveMessage : IRpcMessage
{
    /// <summary>The instance it is about.</summary>
    string InstanceUuid { get; }
}

/// <summary>Rebuilds the instance from <paramref name="ImageRef"/> on its host: the guest and its disk are made anew (cast).</summary>
/// <param name="InstanceUuid">The instance, task_state rebuilding; its row already holds the new image, name, key and user data.</param>
/// <param name="ImageRef">The image to rebuild from.</param>
/// <param name="PreserveEphemeral">Keep the ephemeral disk (cloudd's flavors have none, so nothing to keep).</param>
[RpcMethod("rebuild_instance")]
public sealed record RebuildInstance(string InstanceUuid, string ImageRef, bool PreserveEphemeral) : IInstanceMoveMessage;

/// <summary>Resize, to the source host: power off and set the disk aside, then finish on the destination (cast).</summary>
/// <param name="InstanceUuid">The instance, task_state resize_prep.</param>
/// <param name="MigrationUuid">Its migration, with the destination chosen and claimed.</param>
[RpcMethod("resize_instance")]
public sealed record ResizeInstance(string InstanceUuid, string MigrationUuid) : IInstanceMoveMessage;

/// <summary>Resize, to the destination host: the guest with the new flavor; the instance becomes resized (VERIFY_RESIZE) (cast).</summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="MigrationUuid">Its migration.</param>
[RpcMethod("finish_resize")]
public sealed record FinishResize(string InstanceUuid, string MigrationUuid) : IInstanceMoveMessage;

/// <summary>Confirm, to the source host: what was set aside goes, and with it the old flavor's claim there (cast).</summary>
/// <param name="InstanceUuid">The instance, vm_state resized.</param>
/// <param name="MigrationUuid">Its finished migration.</param>
[RpcMethod("confirm_resize")]
public sealed record ConfirmResize(string InstanceUuid, string MigrationUuid) : IInstanceMoveMessage;

/// <summary>Revert, to the destination host: the resized guest and its claim go, then the source takes over (cast).</summary>
/// <param name="InstanceUuid">The instance, task_state resize_reverting.</param>
/// <param name="MigrationUuid">Its finished migration.</param>
[RpcMethod("revert_resize")]
public sealed record RevertResize(string InstanceUuid, string MigrationUuid) : IInstanceMoveMessage;

/// <summary>Revert, to the source host: the guest set aside comes back with the old flavor (cast).</summary>
/// <param name="InstanceUuid">The instance.</param>
/// <param name="MigrationUuid">Its migration, reverting.</param>
[RpcMethod("finish_revert_resize")]
public sealed record FinishRevertResize(string InstanceUuid, string MigrationUuid) : IInstanceMoveMessage;

/// <summary>createImage: the guest's disk as it stands uploaded into the queued glance image <paramref name="ImageId"/> (cast).</summary>
/// <param name="InstanceUuid">The instance, task_state image_snapshot.</param>
/// <param name="ImageId">The image the API registered for it.</param>
[RpcMethod("snapshot_instance")]
public sealed record SnapshotInstance(string InstanceUuid, string ImageId) : IInstanceMoveMessage;

/// <summary>Shelve: snapshot into <paramref name="ImageId"/>, power off, and offload at once when <paramref name="Offload"/> (cast).</summary>
/// <param name="InstanceUuid">The instance, task_state shelving.</param>
/// <param name="ImageId">The snapshot image the API registered.</param>
/// <param name="Offload">--shelved_offload_time is 0: free the host now.</param>
[RpcMethod("shelve_instance")]
public sealed record ShelveInstance(string InstanceUuid, string ImageId, bool Offload) : IInstanceMoveMessage;

/// <summary>shelveOffload: the shelved guest is destroyed and the host's claim freed (cast).</summary>
/// <param name="InstanceUuid">The instance, shelved, task_state shelving_offloading.</param>
[RpcMethod("shelve_offload_instance")]
public sealed record ShelveOffloadInstance(string InstanceUuid) : IInstanceMoveMessage;

/// <summary>Unshelve, to the host the instance is (again) on: power on the shelved guest, or spawn it from its snapshot (cast).</summary>
/// <param name="InstanceUuid">The instance, task_state unshelving.</param>
[RpcMethod("unshelve_instance")]
public sealed record UnshelveInstance(string InstanceUuid) : IInstanceMoveMessage;
