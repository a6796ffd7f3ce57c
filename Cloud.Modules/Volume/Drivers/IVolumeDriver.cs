namespace Cloud.Modules.Volume.Drivers;

/// <summary>
/// Where a volume's bytes live (nova-volume's VolumeDriver): LVM logical volumes in <c>--volume_group</c>
/// (<c>LvmVolumeDriver</c>) or sparse raw files in <c>--volumes_dir</c> (<c>FileVolumeDriver</c>).
/// Names are the manager's (<c>volume-%08x</c>, <c>snapshot-%08x</c>). Every method is idempotent (a redelivered message
/// repeats it) and never touches the database.
/// </summary>
public interface IVolumeDriver
{
    /// <summary>Fails with a clear message when the backing store is unusable (no volume group, directory not writable).</summary>
    Task CheckSetupAsync(CancellationToken cancellationToken);

    /// <summary>Creates an empty (all-zero) volume; returns the block device or file path to export.</summary>
    Task<string> CreateVolumeAsync(string name, long sizeGb, CancellationToken cancellationToken);

    /// <summary>Creates a volume holding the snapshot's data, grown to <paramref name="sizeGb"/>; returns its path.</summary>
    Task<string> CreateVolumeFromSnapshotAsync(string name, long sizeGb, string snapshotName, CancellationToken cancellationToken);

    /// <summary>Creates a volume holding a copy of another volume's data, grown to <paramref name="sizeGb"/>; returns its path.</summary>
    Task<string> CloneVolumeAsync(string name, long sizeGb, string sourceName, CancellationToken cancellationToken);

    /// <summary>Wipes (<c>--volume_clear</c>) and removes the volume; nothing to do when it does not exist.</summary>
    Task DeleteVolumeAsync(string name, CancellationToken cancellationToken);

    /// <summary>Grows the volume to <paramref name="newSizeGb"/>.</summary>
    Task ExtendVolumeAsync(string name, long newSizeGb, CancellationToken cancellationToken);

    /// <summary>Takes a point-in-time copy of the volume's data under <paramref name="snapshotName"/>.</summary>
    Task CreateSnapshotAsync(string volumeName, string snapshotName, CancellationToken cancellationToken);

    /// <summary>Wipes and removes the snapshot; nothing to do when it does not exist.</summary>
    Task DeleteSnapshotAsync(string snapshotName, CancellationToken cancellationToken);

    /// <summary>The path of an existing volume (what is exported); null when it does not exist.</summary>
    Task<string?> PathOfAsync(string name, CancellationToken cancellationToken);

    /// <summary>The backing store's size and free space (reported with heartbeats).</summary>
    Task<VolumeBackendCapacity> GetCapacityAsync(CancellationToken cancellationToken);
}
