using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Cloud.Modules.Kernel.DiskImages;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// nova's libvirt driver, through libvirt-dbus (<see cref="LibvirtDbus"/>): each instance is a persistent domain
/// named <c>instance-%08x</c> whose files live in <c>instances_path/instance-XXXXXXXX</c> (<see cref="InstanceFiles"/>),
/// its root disk a qcow2 overlay on the host's cached copy of the machine image (<see cref="BaseImageCache"/>).
/// Domain lifecycle events are turned into <see cref="InstanceStateChanged"/>. Volumes are iSCSI network disks with CHAP
/// secrets (<see cref="LibvirtVolumes"/>).
/// </summary>
public sealed partial class LibvirtComputeDriver(
    LibvirtDbus libvirt,
    BaseImageCache images,
    string instancesPath,
    string domainType,
    LibvirtFlags flags,
    ILogger<LibvirtComputeDriver> log) : IComputeDriver, IAsyncDisposable
{
    /// <summary>nova's MAX_CONSOLE_BYTES: the console output returned is the log's last 100 KiB.</summary>
    private const int MaxConsoleBytes = 100 * 1024;

    // virConnectListAllDomainsFlags ACTIVE; virDomainModificationImpact LIVE and CONFIG.
    private const uint ListActive = 1;
    private const uint AffectLive = 1;
    private const uint AffectConfig = 2;
    private const uint XmlInactive = 2;
    private const uint UndefineManagedSave = 1;

    private static readonly TimeSpan ShutdownPoll = TimeSpan.FromMilliseconds(200);

    private readonly LibvirtVolumes _volumes = new(libvirt, flags, TimeProvider.System, log);
    private readonly LibvirtDiskMoves _moves = new(libvirt, instancesPath, domainType, flags);
    private readonly Lock _subscribe = new();
    private EventHandler<InstanceStateChange>? _stateChanged;
    private bool _subscribed;

    public string HypervisorType => "QEMU";

    /// <summary>Raised from libvirt's domain events (on a bus thread); subscribing starts listening to them.</summary>
    public event EventHandler<InstanceStateChange>? InstanceStateChanged
    {
        add
        {
            lock (_subscribe)
            {
                _stateChanged += value;
                if (!_subscribed)
                {
                    _subscribed = true;
                    libvirt.SubscribeDomainEvents(OnDomainEvent);
                }
            }
        }
        remove
        {
            lock (_subscribe)
            {
                _stateChanged -= value;
            }
        }
    }

    public async Task SpawnAsync(InstanceSpec instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var files = InstanceFiles.Of(instancesPath, instance.Name);
        Directory.CreateDirectory(files.Directory);
        try
        {
            // Disk, kernel and ramdisk come from glance at once: a cold boot waits for the slowest part, not their sum.
            var parts = await GuestImageParts.EnsureAsync(images, instance, cancellationToken).ConfigureAwait(false);
            if (parts.Disk is { } image)
            {
                CheckRootDiskFits(instance, image);
                await QemuImg.CreateOverlayAsync(image.Path, image.Format, image.VirtualSize, files.Disk, instance.RootGb << 30, cancellationToken).ConfigureAwait(false);
            }
            CopyFromCache(parts.Kernel, files.Kernel);
            CopyFromCache(parts.Ramdisk, files.Ramdisk);
            foreach (var volume in instance.Volumes ?? [])
            {
                await _volumes.EnsureSecretAsync(volume, cancellationToken).ConfigureAwait(false);
            }
            var configDrive = instance.ConfigDrive || flags.ForceConfigDrive;
            if (configDrive)
            {
                await ConfigDrive.BuildAsync(instance, files.ConfigDrive, cancellationToken).ConfigureAwait(false);
            }
            var xml = DomainXml.Build(instance, files, domainType, flags.KernelCmdline, configDrive);
            await File.WriteAllTextAsync(files.DomainXml, xml, cancellationToken).ConfigureAwait(false);
            var domain = await libvirt.DefineXmlAsync(xml, cancellationToken).ConfigureAwait(false);
            await libvirt.DomainCallAsync(domain, "Create", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed spawn leaves nothing behind: the instance goes to ERROR with the fault, and deleting it finds nothing to do.
            LogSpawnFailed(instance.Name, e.Message);
            await DestroyAsync(instance.Name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task DestroyAsync(string name, CancellationToken cancellationToken)
    {
        if (await LookupAsync(name, cancellationToken).ConfigureAwait(false) is { } domain)
        {
            var volumes = await VolumesOfAsync(domain, cancellationToken).ConfigureAwait(false);
            // Undefine alone would leave a running domain behind as a transient one.
            await StopAsync(domain, cancellationToken).ConfigureAwait(false);
            // A suspended domain's saved memory goes with it (libvirt refuses to undefine it otherwise).
            await IgnoringNoDomainAsync(libvirt.DomainCallAsync(domain, "Undefine", cancellationToken, UndefineManagedSave)).ConfigureAwait(false);
            foreach (var volume in volumes)
            {
                await _volumes.RemoveSecretAsync(volume, cancellationToken).ConfigureAwait(false);
            }
        }
        var files = InstanceFiles.Of(instancesPath, name);
        if (Directory.Exists(files.Directory))
        {
            Directory.Delete(files.Directory, recursive: true);
        }
        // A server deleted while its resize waits for confirmation leaves nothing set aside either.
        _moves.Forget(name);
    }

    public async Task RebootAsync(string name, bool hard, CancellationToken cancellationToken)
    {
        var domain = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!await IsActiveAsync(domain, cancellationToken).ConfigureAwait(false))
        {
            // Rebooting a stopped instance boots it (nova's hard reboot recreates the domain).
            await libvirt.DomainCallAsync(domain, "Create", cancellationToken).ConfigureAwait(false);
            return;
        }
        await libvirt.DomainCallAsync(domain, hard ? "Reset" : "Reboot", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>nova's power_off: ACPI shutdown, up to <c>--libvirt_shutdown_timeout</c> for the guest to go, then destroy.</summary>
    public async Task PowerOffAsync(string name, CancellationToken cancellationToken)
    {
        var domain = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        if (flags.ShutdownTimeout > 0 && await IsActiveAsync(domain, cancellationToken).ConfigureAwait(false))
        {
            await libvirt.DomainCallAsync(domain, "Shutdown", cancellationToken).ConfigureAwait(false);
            var deadline = DateTime.UtcNow.AddSeconds(flags.ShutdownTimeout);
            while (DateTime.UtcNow < deadline && await IsActiveAsync(domain, cancellationToken).ConfigureAwait(false))
            {
                await Task.Delay(ShutdownPoll, cancellationToken).ConfigureAwait(false);
            }
        }
        await StopAsync(domain, cancellationToken).ConfigureAwait(false);
    }

    public async Task PowerOnAsync(string name, CancellationToken cancellationToken)
    {
        var domain = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        if (!await IsActiveAsync(domain, cancellationToken).ConfigureAwait(false))
        {
            await libvirt.DomainCallAsync(domain, "Create", cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task PauseAsync(string name, CancellationToken cancellationToken) =>
        await libvirt.DomainCallWithoutFlagsAsync(await RequireAsync(name, cancellationToken).ConfigureAwait(false), "Suspend", cancellationToken).ConfigureAwait(false);

    public async Task UnpauseAsync(string name, CancellationToken cancellationToken) =>
        await libvirt.DomainCallWithoutFlagsAsync(await RequireAsync(name, cancellationToken).ConfigureAwait(false), "Resume", cancellationToken).ConfigureAwait(false);

    /// <summary>libvirt's managed save: the memory goes to a file libvirt keeps, and the next Create restores it.</summary>
    public async Task SuspendAsync(string name, CancellationToken cancellationToken) =>
        await libvirt.DomainCallAsync(await RequireAsync(name, cancellationToken).ConfigureAwait(false), "ManagedSave", cancellationToken).ConfigureAwait(false);

    public Task ResumeAsync(string name, CancellationToken cancellationToken) => PowerOnAsync(name, cancellationToken);

    public async Task RescueAsync(InstanceSpec instance, string rescueImageRef, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var domain = await RequireAsync(instance.Name, cancellationToken).ConfigureAwait(false);
        var files = InstanceFiles.Of(instancesPath, instance.Name);
        var defined = await libvirt.GetXmlDescAsync(domain, cancellationToken, XmlInactive).ConfigureAwait(false);
        var image = await images.EnsureAsync(rescueImageRef, instance, cancellationToken).ConfigureAwait(false);
        await QemuImg.CreateOverlayAsync(image.Path, image.Format, image.VirtualSize, files.RescueDisk, image.VirtualSize, cancellationToken).ConfigureAwait(false);
        // Kept on disk, not in memory: a compute role restarted while the instance is rescued can still unrescue it.
        await File.WriteAllTextAsync(files.UnrescueXml, defined, cancellationToken).ConfigureAwait(false);
        await StopAsync(domain, cancellationToken).ConfigureAwait(false);
        await RedefineAndBootAsync(RescueXml.Build(defined, files.RescueDisk), cancellationToken).ConfigureAwait(false);
    }

    public async Task UnrescueAsync(string name, CancellationToken cancellationToken)
    {
        var files = InstanceFiles.Of(instancesPath, name);
        var defined = await File.ReadAllTextAsync(files.UnrescueXml, cancellationToken).ConfigureAwait(false);
        await StopAsync(await RequireAsync(name, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await RedefineAndBootAsync(defined, cancellationToken).ConfigureAwait(false);
        File.Delete(files.RescueDisk);
        File.Delete(files.UnrescueXml);
    }

    public async Task<InstanceInfo?> GetInfoAsync(string name, CancellationToken cancellationToken)
    {
        if (await LookupAsync(name, cancellationToken).ConfigureAwait(false) is not { } domain)
        {
            return null;
        }
        try
        {
            var (state, reason) = await libvirt.GetStateAsync(domain, cancellationToken).ConfigureAwait(false);
            var xml = XElement.Parse(await libvirt.GetXmlDescAsync(domain, cancellationToken).ConfigureAwait(false));
            var memoryKib = long.Parse(xml.Element("memory")?.Value ?? "0", CultureInfo.InvariantCulture);
            var vcpus = long.Parse(xml.Element("vcpu")?.Value ?? "0", CultureInfo.InvariantCulture);
            return new InstanceInfo(name, LibvirtStates.FromDomainState(state, reason), memoryKib / 1024, vcpus);
        }
        catch (LibvirtException e) when (e.NoDomain)
        {
            return null;
        }
    }

    /// <summary>
    /// Has libvirtd probe the QEMU binary domains run on (its capabilities cache) now rather than inside the first
    /// domain define after libvirtd starts with an empty cache: that probe took 4.2 s of a 5.1 s cold boot
    /// (bench-boot.sh: _base was complete 0.1 s after the API call; the cache file appeared 4.2 s later, just
    /// before QEMU started) and 4.05 s alone (`virsh domcapabilities --arch x86_64 --virttype qemu`, TCG).
    /// </summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        libvirt.GetDomainCapabilitiesAsync(DomainXml.Arch, DomainXml.Machine, domainType, cancellationToken);

    public async Task<string> GetConsoleOutputAsync(string name, CancellationToken cancellationToken)
    {
        var files = InstanceFiles.Of(instancesPath, name);
        if (!File.Exists(files.ConsoleLog))
        {
            return await LookupAsync(name, cancellationToken).ConfigureAwait(false) is null
                ? throw new LibvirtException($"Domain not found: no domain with matching name '{name}'")
                : "";
        }
        var log = new FileStream(files.ConsoleLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        await using (log.ConfigureAwait(false))
        {
            var length = log.Length;
            log.Seek(Math.Max(0, length - MaxConsoleBytes), SeekOrigin.Begin);
            var buffer = new byte[Math.Min(length, MaxConsoleBytes)];
            await log.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return System.Text.Encoding.UTF8.GetString(buffer);
        }
    }

    public async Task<IReadOnlyList<string>> ListInstancesAsync(CancellationToken cancellationToken) =>
        await InstanceDomainNamesAsync(0, cancellationToken).ConfigureAwait(false);

    public async Task<HostCapacity> GetHostCapacityAsync(CancellationToken cancellationToken)
    {
        var running = await InstanceDomainNamesAsync(ListActive, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(instancesPath);
        var disk = new DriveInfo(Path.GetFullPath(instancesPath));
        return new HostCapacity(Environment.ProcessorCount, HostMemoryMb(), disk.TotalSize >> 30, running.Count);
    }

    /// <summary>Hot-plugs a device (disk, NIC) described by its libvirt XML; persisted in the definition too.</summary>
    public Task AttachDeviceAsync(string name, string deviceXml, CancellationToken cancellationToken) =>
        DeviceAsync(name, "AttachDevice", deviceXml, cancellationToken);

    /// <summary>Unplugs a device described by its libvirt XML, live and from the definition.</summary>
    public Task DetachDeviceAsync(string name, string deviceXml, CancellationToken cancellationToken) =>
        DeviceAsync(name, "DetachDevice", deviceXml, cancellationToken);

    public async Task AttachVolumeAsync(string name, VolumeDisk disk, CancellationToken cancellationToken)
    {
        var domain = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        await _volumes.AttachAsync(domain, await IsActiveAsync(domain, cancellationToken).ConfigureAwait(false), disk, cancellationToken).ConfigureAwait(false);
    }

    public async Task DetachVolumeAsync(string name, string volumeUuid, CancellationToken cancellationToken)
    {
        if (await LookupAsync(name, cancellationToken).ConfigureAwait(false) is not { } domain)
        {
            await _volumes.RemoveSecretAsync(volumeUuid, cancellationToken).ConfigureAwait(false);
            return;
        }
        await _volumes.DetachAsync(domain, await IsActiveAsync(domain, cancellationToken).ConfigureAwait(false), volumeUuid, cancellationToken).ConfigureAwait(false);
    }

    public Task EnsureVolumeConnectedAsync(VolumeDisk disk, CancellationToken cancellationToken) => _volumes.EnsureSecretAsync(disk, cancellationToken);

    public async Task<string> SnapshotAsync(string name, string destination, CancellationToken cancellationToken) =>
        await _moves.SnapshotAsync(await RequireAsync(name, cancellationToken).ConfigureAwait(false), name, destination, cancellationToken).ConfigureAwait(false);

    /// <summary>nova's migrate_disk_and_power_off: a clean power-off, then the domain undefined and its files set aside.</summary>
    public async Task MigrateDiskAndPowerOffAsync(string name, CancellationToken cancellationToken)
    {
        var domain = await LookupAsync(name, cancellationToken).ConfigureAwait(false);
        if (domain is not null)
        {
            await PowerOffAsync(name, cancellationToken).ConfigureAwait(false);
        }
        await _moves.SetAsideAsync(domain, name, cancellationToken).ConfigureAwait(false);
    }

    public Task FinishMigrationAsync(InstanceSpec instance, bool powerOn, CancellationToken cancellationToken) =>
        _moves.FinishAsync(instance, powerOn, cancellationToken);

    public Task ConfirmMigrationAsync(string name, CancellationToken cancellationToken)
    {
        _moves.Forget(name);
        return Task.CompletedTask;
    }

    /// <summary>The resized domain, if on this host, is stopped and undefined; then the one set aside comes back.</summary>
    public async Task FinishRevertMigrationAsync(string name, bool powerOn, CancellationToken cancellationToken)
    {
        if (await LookupAsync(name, cancellationToken).ConfigureAwait(false) is { } resized)
        {
            await StopAsync(resized, cancellationToken).ConfigureAwait(false);
            await IgnoringNoDomainAsync(libvirt.DomainCallAsync(resized, "Undefine", cancellationToken)).ConfigureAwait(false);
        }
        await _moves.RestoreAsync(name, powerOn, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => libvirt.DisposeAsync();

    /// <summary>The volumes in the domain's definition (none when it went meanwhile).</summary>
    private async Task<IReadOnlyList<string>> VolumesOfAsync(string domain, CancellationToken cancellationToken)
    {
        try
        {
            return await _volumes.VolumesOfAsync(domain, cancellationToken).ConfigureAwait(false);
        }
        catch (LibvirtException e) when (e.NoDomain)
        {
            return [];
        }
    }

    private async Task DeviceAsync(string name, string method, string deviceXml, CancellationToken cancellationToken)
    {
        var domain = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        var live = await IsActiveAsync(domain, cancellationToken).ConfigureAwait(false);
        await libvirt.DeviceCallAsync(domain, method, deviceXml, live ? AffectLive | AffectConfig : AffectConfig, cancellationToken).ConfigureAwait(false);
    }

    private void OnDomainEvent(DomainEvent e)
    {
        if (LibvirtStates.FromEvent(e.Event, e.Detail) is { } state)
        {
            _stateChanged?.Invoke(this, new InstanceStateChange(e.Uuid, state));
        }
    }

    private static void CopyFromCache(CachedBaseImage? cached, string destination)
    {
        if (cached is not null)
        {
            File.Copy(cached.Path, destination, overwrite: true);
        }
    }

    /// <summary>
    /// nova's FlavorDiskSmallerThanImage: the image's disk must fit the flavor's root disk. A flavor without a root disk
    /// size takes the image's, which the cache has already held to the host's instance storage.
    /// </summary>
    private static void CheckRootDiskFits(InstanceSpec instance, CachedBaseImage image)
    {
        if (instance.RootGb > 0)
        {
            ImageInspector.CheckFits(instance.ImageRef, image.VirtualSize, instance.RootGb << 30, "flavor's root disk");
        }
    }

    private async Task RedefineAndBootAsync(string xml, CancellationToken cancellationToken)
    {
        var domain = await libvirt.DefineXmlAsync(xml, cancellationToken).ConfigureAwait(false);
        await libvirt.DomainCallAsync(domain, "Create", cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<string>> InstanceDomainNamesAsync(uint listFlags, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        foreach (var domain in await libvirt.ListDomainsAsync(listFlags, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var name = await libvirt.GetDomainPropertyAsync(domain, "Name", cancellationToken).ConfigureAwait(false);
                if (InstanceName().IsMatch(name))
                {
                    names.Add(name);
                }
            }
            catch (LibvirtException e) when (!e.Unreachable)
            {
                // Undefined between the listing and the look-up.
            }
        }
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Destroys the domain if it runs; one that is already off is left as it is.</summary>
    private async Task StopAsync(string domain, CancellationToken cancellationToken)
    {
        if (await IsActiveAsync(domain, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await libvirt.DomainCallAsync(domain, "Destroy", cancellationToken).ConfigureAwait(false);
            }
            catch (LibvirtException e) when (e.NoDomain || e.Message.Contains("domain is not running", StringComparison.Ordinal))
            {
                // It stopped (or went) on its own meanwhile.
            }
        }
    }

    private async Task<bool> IsActiveAsync(string domain, CancellationToken cancellationToken)
    {
        try
        {
            var (state, _) = await libvirt.GetStateAsync(domain, cancellationToken).ConfigureAwait(false);
            return state is not (0 or 5);
        }
        catch (LibvirtException e) when (e.NoDomain)
        {
            return false;
        }
    }

    private async Task<string?> LookupAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await libvirt.LookupByNameAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (LibvirtException e) when (e.NoDomain)
        {
            return null;
        }
    }

    private async Task<string> RequireAsync(string name, CancellationToken cancellationToken) =>
        await libvirt.LookupByNameAsync(name, cancellationToken).ConfigureAwait(false);

    private static async Task IgnoringNoDomainAsync(Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (LibvirtException e) when (e.NoDomain)
        {
        }
    }

    private static long HostMemoryMb()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return 0;
    }

    [GeneratedRegex("^instance-[0-9a-f]{8}$")]
    private static partial Regex InstanceName();

    [LoggerMessage(Level = LogLevel.Warning, Message = "spawn of {Name} failed ({Reason}); removing what was made of it")]
    private partial void LogSpawnFailed(string name, string reason);
}
