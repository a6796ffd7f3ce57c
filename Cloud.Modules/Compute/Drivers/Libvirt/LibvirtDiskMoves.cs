using Cloud.Modules.Kernel.DiskImages;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// The libvirt driver's snapshots and resizes (nova's snapshot, migrate_disk_and_power_off, finish_migration,
/// confirm_migration and finish_revert_migration). A snapshot is the root disk flattened into a standalone qcow2 while the
/// guest is paused. A resize sets the instance's directory aside as <c>instance-XXXXXXXX_resize</c> (domain undefined, its
/// libvirt.xml kept for a revert), then builds the domain again from a copy of that disk with the new flavor. The destination
/// must see the source's <c>--instances_path</c>: cloudd copies no disks between hosts (nova's ssh/rsync), so a resize to
/// another libvirt host needs that path shared.
/// </summary>
public sealed class LibvirtDiskMoves(LibvirtDbus libvirt, string instancesPath, string domainType, LibvirtFlags flags)
{
    // virDomainState RUNNING.
    private const int Running = 1;

    /// <summary>The directory a resize sets aside until it is confirmed or reverted.</summary>
    public string AsideOf(string name) => Path.Combine(instancesPath, name + "_resize");

    /// <summary>Copies the root disk of <paramref name="domain"/> to <paramref name="destination"/>, a running guest paused meanwhile.</summary>
    public async Task<string> SnapshotAsync(string domain, string name, string destination, CancellationToken cancellationToken)
    {
        var disk = InstanceFiles.Of(instancesPath, name).Disk;
        if (!File.Exists(disk))
        {
            throw new InvalidOperationException($"Instance {name} has no local root disk to snapshot (it boots from a volume).");
        }
        var (state, _) = await libvirt.GetStateAsync(domain, cancellationToken).ConfigureAwait(false);
        var pause = state == Running;
        if (pause)
        {
            await libvirt.DomainCallWithoutFlagsAsync(domain, "Suspend", cancellationToken).ConfigureAwait(false);
        }
        try
        {
            await QemuImg.ConvertToQcow2Async(disk, "qcow2", destination, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (pause)
            {
                await libvirt.DomainCallWithoutFlagsAsync(domain, "Resume", CancellationToken.None).ConfigureAwait(false);
            }
        }
        return "qcow2";
    }

    /// <summary>Undefines the (stopped) domain and moves its directory aside; a redelivered call finds it aside already.</summary>
    public async Task SetAsideAsync(string? domain, string name, CancellationToken cancellationToken)
    {
        if (domain is not null)
        {
            await libvirt.DomainCallAsync(domain, "Undefine", cancellationToken).ConfigureAwait(false);
        }
        var files = InstanceFiles.Of(instancesPath, name);
        var aside = AsideOf(name);
        if (Directory.Exists(files.Directory) && !Directory.Exists(aside))
        {
            Directory.Move(files.Directory, aside);
        }
    }

    /// <summary>Defines and (when <paramref name="powerOn"/>) starts the domain with the new flavor on a copy of the disk set aside.</summary>
    public async Task FinishAsync(InstanceSpec instance, bool powerOn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var aside = new InstanceFiles(AsideOf(instance.Name));
        if (!File.Exists(aside.Disk))
        {
            throw new InvalidOperationException(
                $"The disk of {instance.Name} is not on this host: a resize to another libvirt host needs --instances_path shared by both hosts.");
        }
        var files = InstanceFiles.Of(instancesPath, instance.Name);
        Directory.CreateDirectory(files.Directory);
        foreach (var (from, to) in new[] { (aside.Disk, files.Disk), (aside.Kernel, files.Kernel), (aside.Ramdisk, files.Ramdisk), (aside.ConfigDrive, files.ConfigDrive) })
        {
            if (File.Exists(from))
            {
                File.Copy(from, to, overwrite: true);
            }
        }
        var wanted = instance.RootGb << 30;
        if (wanted > (await QemuImg.InfoAsync(files.Disk, "qcow2", cancellationToken).ConfigureAwait(false)).VirtualSize)
        {
            await QemuImg.GrowAsync(files.Disk, "qcow2", wanted, cancellationToken).ConfigureAwait(false);
        }
        var xml = DomainXml.Build(instance, files, domainType, flags.KernelCmdline, File.Exists(files.ConfigDrive));
        await File.WriteAllTextAsync(files.DomainXml, xml, cancellationToken).ConfigureAwait(false);
        var domain = await libvirt.DefineXmlAsync(xml, cancellationToken).ConfigureAwait(false);
        if (powerOn)
        {
            await libvirt.DomainCallAsync(domain, "Create", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes what a confirmed resize set aside.</summary>
    public void Forget(string name)
    {
        var aside = AsideOf(name);
        if (Directory.Exists(aside))
        {
            Directory.Delete(aside, recursive: true);
        }
    }

    /// <summary>Moves the directory set aside back and defines its domain again from its libvirt.xml.</summary>
    public async Task RestoreAsync(string name, bool powerOn, CancellationToken cancellationToken)
    {
        var aside = AsideOf(name);
        var files = InstanceFiles.Of(instancesPath, name);
        if (Directory.Exists(aside))
        {
            if (Directory.Exists(files.Directory))
            {
                Directory.Delete(files.Directory, recursive: true);
            }
            Directory.Move(aside, files.Directory);
        }
        if (!File.Exists(files.DomainXml))
        {
            throw new InvalidOperationException($"Nothing of {name} was set aside on this host to revert to.");
        }
        var domain = await libvirt.DefineXmlAsync(await File.ReadAllTextAsync(files.DomainXml, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (powerOn)
        {
            await libvirt.DomainCallAsync(domain, "Create", cancellationToken).ConfigureAwait(false);
        }
    }
}
