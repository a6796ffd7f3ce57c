namespace Cloud.Modules.Compute.Drivers;

/// <summary>
/// The hypervisor seam (nova's virt driver): all I/O to the hypervisor goes through here, and a driver never
/// touches the database. Domains are named by <see cref="InstanceSpec.Name"/> (<c>instance-%08x</c>).
/// Implementations: <see cref="Libvirt.LibvirtComputeDriver"/> (the default) and <see cref="Fake.FakeComputeDriver"/> (a test double).
/// </summary>
public interface IComputeDriver
{
    /// <summary>What the compute_nodes row reports as hypervisor_type: <c>QEMU</c>, <c>fake</c>, ...</summary>
    string HypervisorType { get; }

    /// <summary>Creates and boots the instance's domain; throws with the hypervisor's message on failure.</summary>
    Task SpawnAsync(InstanceSpec instance, CancellationToken cancellationToken);

    /// <summary>Stops and removes the domain and its files (and any set aside by a resize); a domain that does not exist is already destroyed.</summary>
    Task DestroyAsync(string name, CancellationToken cancellationToken);

    /// <summary>Reboots: soft asks the guest, hard resets the domain.</summary>
    Task RebootAsync(string name, bool hard, CancellationToken cancellationToken);

    /// <summary>Powers the domain off (keeps it defined).</summary>
    Task PowerOffAsync(string name, CancellationToken cancellationToken);

    /// <summary>Powers a stopped domain on.</summary>
    Task PowerOnAsync(string name, CancellationToken cancellationToken);

    /// <summary>Pauses a running domain's vCPUs; its memory stays on the host (nova's pause).</summary>
    Task PauseAsync(string name, CancellationToken cancellationToken);

    /// <summary>Lets a paused domain run again.</summary>
    Task UnpauseAsync(string name, CancellationToken cancellationToken);

    /// <summary>Saves a running (or paused) domain's memory to disk and stops it (nova's suspend: libvirt's managed save).</summary>
    Task SuspendAsync(string name, CancellationToken cancellationToken);

    /// <summary>Boots a suspended domain from its saved memory.</summary>
    Task ResumeAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Boots <paramref name="instance"/> from a fresh disk of <paramref name="rescueImageRef"/> with its own root disk attached
    /// second (nova's rescue); its definition before the rescue is kept for <see cref="UnrescueAsync"/>.
    /// </summary>
    Task RescueAsync(InstanceSpec instance, string rescueImageRef, CancellationToken cancellationToken);

    /// <summary>Ends a rescue: the domain boots from its own disk again, as it was defined before, and the rescue disk goes.</summary>
    Task UnrescueAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Readies the hypervisor for the first spawn when the compute role starts (called once, in the background): work the
    /// hypervisor would otherwise do inside the first boot. Nothing by default.
    /// </summary>
    Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The domain's state, or null when the hypervisor has no such domain.</summary>
    Task<InstanceInfo?> GetInfoAsync(string name, CancellationToken cancellationToken);

    /// <summary>The serial console's output so far (the tail the APIs return).</summary>
    Task<string> GetConsoleOutputAsync(string name, CancellationToken cancellationToken);

    /// <summary>The names of every domain this driver manages on the host.</summary>
    Task<IReadOnlyList<string>> ListInstancesAsync(CancellationToken cancellationToken);

    /// <summary>What the host offers to instances (reported with each heartbeat).</summary>
    Task<HostCapacity> GetHostCapacityAsync(CancellationToken cancellationToken);

    /// <summary>Hot-plugs a device (a disk or NIC, as libvirt device XML) into the domain, and keeps it in its definition.</summary>
    Task AttachDeviceAsync(string name, string deviceXml, CancellationToken cancellationToken);

    /// <summary>Unplugs a device (as libvirt device XML) from the domain and its definition.</summary>
    Task DetachDeviceAsync(string name, string deviceXml, CancellationToken cancellationToken);

    /// <summary>
    /// Connects a volume to the domain as <see cref="VolumeDisk.TargetDev"/>: hot when it runs, and in its definition either
    /// way; a volume the domain already has is left as it is.
    /// </summary>
    Task AttachVolumeAsync(string name, VolumeDisk disk, CancellationToken cancellationToken);

    /// <summary>
    /// Disconnects the volume from the domain and its definition; returns once a running guest has released the disk
    /// and throws (the disk still attached) when it does not in time. A domain without that volume has nothing to do.
    /// </summary>
    Task DetachVolumeAsync(string name, string volumeUuid, CancellationToken cancellationToken);

    /// <summary>Makes sure this host can reach a volume a domain already has (its CHAP secret), e.g. when the compute role starts.</summary>
    Task EnsureVolumeConnectedAsync(VolumeDisk disk, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the instance's root disk as it stands now to <paramref name="destination"/> as a standalone image (a running guest
    /// is paused while it is copied, so the copy is consistent) and returns its disk format (createImage, shelve).
    /// </summary>
    Task<string> SnapshotAsync(string name, string destination, CancellationToken cancellationToken);

    /// <summary>Resize, on the source host: powers the domain off and sets it and its disk aside, kept for a revert.</summary>
    Task MigrateDiskAndPowerOffAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Resize, on the destination host: the domain again from the disk set aside, with the new flavor's resources (a bigger
    /// root disk is grown), started when <paramref name="powerOn"/>. Throws when this host cannot reach the disk set aside.
    /// </summary>
    Task FinishMigrationAsync(InstanceSpec instance, bool powerOn, CancellationToken cancellationToken);

    /// <summary>Confirmed resize, on the source host: removes what <see cref="MigrateDiskAndPowerOffAsync"/> set aside.</summary>
    Task ConfirmMigrationAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Reverted resize, on the source host (after another destination host destroyed the resized domain): a resized domain
    /// still here is removed, and the domain set aside comes back as it was, started when <paramref name="powerOn"/>.
    /// </summary>
    Task FinishRevertMigrationAsync(string name, bool powerOn, CancellationToken cancellationToken);

    /// <summary>
    /// A domain changed power state on its own (the guest powered off, crashed, ...), as the hypervisor reports it;
    /// the manager updates the instance at once instead of waiting for its periodic sync.
    /// </summary>
    event EventHandler<InstanceStateChange>? InstanceStateChanged;
}
