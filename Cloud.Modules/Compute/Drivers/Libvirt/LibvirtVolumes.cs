using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;

namespace Cloud.Modules.Compute.Drivers.Libvirt;

/// <summary>
/// The libvirt driver's volume disks: each volume's CHAP password in a libvirt secret (defined before a domain may
/// use it, removed once no domain does), and hot attach and detach. A detach returns only once the guest has let go
/// of the disk (it is gone from the live domain) or fails after <c>--libvirt_volume_detach_timeout</c>.
/// </summary>
public sealed partial class LibvirtVolumes(LibvirtDbus libvirt, LibvirtFlags flags, TimeProvider clock, ILogger log)
{
    // virDomainModificationImpact LIVE and CONFIG.
    private const uint AffectLive = 1;
    private const uint AffectConfig = 2;

    private static readonly TimeSpan DetachPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>Defines the volume's secret (idempotent: its uuid is the volume's) and sets its value.</summary>
    public async Task EnsureSecretAsync(VolumeDisk disk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(disk);
        if (string.IsNullOrEmpty(disk.Connection.AuthUsername))
        {
            return;
        }
        var secret = await libvirt.SecretDefineXmlAsync(VolumeDiskXml.Secret(disk.Serial), cancellationToken).ConfigureAwait(false);
        await libvirt.SecretSetValueAsync(secret, Encoding.UTF8.GetBytes(disk.Connection.AuthPassword), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the volume's secret; one that is not there is already removed.</summary>
    public async Task RemoveSecretAsync(string volumeUuid, CancellationToken cancellationToken)
    {
        try
        {
            var secret = await libvirt.SecretLookupByUuidAsync(volumeUuid, cancellationToken).ConfigureAwait(false);
            await libvirt.SecretUndefineAsync(secret, cancellationToken).ConfigureAwait(false);
        }
        catch (LibvirtException e) when (!e.Unreachable && e.Message.Contains("ecret not found", StringComparison.Ordinal))
        {
        }
    }

    /// <summary>Adds the disk to the domain (live when it runs) and to its definition; a disk already there is left as it is.</summary>
    public async Task AttachAsync(string domain, bool live, VolumeDisk disk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(disk);
        if (VolumeDiskXml.Find(await XmlAsync(domain, cancellationToken).ConfigureAwait(false), disk.Serial) is not null)
        {
            return;
        }
        await EnsureSecretAsync(disk, cancellationToken).ConfigureAwait(false);
        var xml = VolumeDiskXml.Disk(disk).ToString();
        await libvirt.DeviceCallAsync(domain, "AttachDevice", xml, live ? AffectLive | AffectConfig : AffectConfig, cancellationToken).ConfigureAwait(false);
        LogAttached(disk.Serial, disk.TargetDev, domain);
    }

    /// <summary>
    /// Removes the volume's disk from the domain's definition and, when it runs, from the guest, waiting until the
    /// guest has released it; then removes its secret. A domain without the disk has nothing to detach.
    /// </summary>
    public async Task DetachAsync(string domain, bool live, string volumeUuid, CancellationToken cancellationToken)
    {
        var disk = VolumeDiskXml.Find(await XmlAsync(domain, cancellationToken).ConfigureAwait(false), volumeUuid);
        if (disk is not null)
        {
            await libvirt.DeviceCallAsync(domain, "DetachDevice", disk.ToString(), live ? AffectLive | AffectConfig : AffectConfig, cancellationToken).ConfigureAwait(false);
            if (live)
            {
                await WaitUntilReleasedAsync(domain, volumeUuid, cancellationToken).ConfigureAwait(false);
            }
            LogDetached(volumeUuid, domain);
        }
        await RemoveSecretAsync(volumeUuid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The volumes (uuids) in a domain's definition, so destroying it can remove their secrets.</summary>
    public async Task<IReadOnlyList<string>> VolumesOfAsync(string domain, CancellationToken cancellationToken) =>
        VolumeDiskXml.Serials(await XmlAsync(domain, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// libvirt's live detach only asks the guest (an ACPI unplug request); the disk is gone once the guest answered.
    /// The live XML is the truth whether or not the DeviceRemoved event was seen.
    /// </summary>
    private async Task WaitUntilReleasedAsync(string domain, string volumeUuid, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow().AddSeconds(flags.VolumeDetachTimeout);
        while (VolumeDiskXml.Find(await XmlAsync(domain, cancellationToken).ConfigureAwait(false), volumeUuid) is not null)
        {
            if (clock.GetUtcNow() >= deadline)
            {
                throw new LibvirtException($"The guest did not release volume {volumeUuid} within {flags.VolumeDetachTimeout}s (--libvirt_volume_detach_timeout); it is still attached.");
            }
            await Task.Delay(DetachPoll, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<XElement> XmlAsync(string domain, CancellationToken cancellationToken) =>
        XElement.Parse(await libvirt.GetXmlDescAsync(domain, cancellationToken).ConfigureAwait(false));

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} attached to {Domain} as {Dev}")]
    private partial void LogAttached(string volume, string dev, string domain);

    [LoggerMessage(Level = LogLevel.Information, Message = "volume {Volume} detached from {Domain}")]
    private partial void LogDetached(string volume, string domain);
}
