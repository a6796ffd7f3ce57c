using System.Net.NetworkInformation;
using System.Net.Sockets;
using Cloud.Modules.Kernel;
using Cloud.Modules.Volume.Db;
using Cloud.Modules.Volume.Drivers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Modules.Volume;

/// <summary>
/// A volume host's iSCSI exports as the database says they should be: one target per volume (its iscsi_targets number,
/// its iqn, LUN 1 on its backing path, its CHAP account). At start they are rebuilt (a restarted host or tgtd keeps
/// serving) and targets with cloudd's prefix that no volume of this host owns are removed.
/// </summary>
public sealed partial class VolumeExports(
    VolumeStore volumes,
    IscsiTargetStore targets,
    IIscsiTargetDriver target,
    VolumeNames names,
    IOptions<VolumeFlags> flags,
    IOptions<CommonFlags> common,
    ILogger<VolumeExports> log)
{
    /// <summary>Statuses whose volume has (or may have) an export; creating and deleting ones are their message's business.</summary>
    private static readonly string[] Exported =
        [VolumeStatuses.Available, VolumeStatuses.Attaching, VolumeStatuses.InUse, VolumeStatuses.Detaching, VolumeStatuses.Extending, VolumeStatuses.ErrorExtending];

    /// <summary>The export of a created volume with target <paramref name="tid"/>; null when it has no backing path or credentials yet.</summary>
    public IscsiExport? ExportOf(VolumeRow row, int tid) =>
        row.ProviderLocation is { } path && ChapCredentials.Parse(row.ProviderAuth) is { } chap
            ? new IscsiExport(tid, names.Iqn(row.Id), path, chap.User, chap.Secret)
            : null;

    /// <summary>Ensures the volume's export; returns it (null when the volume has no target or is not created).</summary>
    public async Task<IscsiExport?> EnsureAsync(VolumeRow row, CancellationToken cancellationToken)
    {
        var tid = await targets.OfVolumeAsync(row.Id, cancellationToken).ConfigureAwait(false);
        if (tid is null || ExportOf(row, tid.Value) is not { } export)
        {
            return null;
        }
        await target.EnsureExportAsync(export, cancellationToken).ConfigureAwait(false);
        return export;
    }

    /// <summary>Rebuilds every export this host's volumes should have and removes cloudd targets none owns; returns how many were ensured.</summary>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken)
    {
        var host = common.Value.Host;
        var owned = new HashSet<(int, string)>();
        var ensured = 0;
        foreach (var row in (await volumes.OnHostAsync(host, cancellationToken).ConfigureAwait(false)).Where(r => Exported.Contains(r.Status)))
        {
            var tid = await targets.OfVolumeAsync(row.Id, cancellationToken).ConfigureAwait(false);
            if (tid is null || ExportOf(row, tid.Value) is not { } export)
            {
                continue;
            }
            owned.Add((export.Tid, export.Iqn));
            await target.EnsureExportAsync(export, cancellationToken).ConfigureAwait(false);
            ensured++;
        }
        foreach (var (tid, iqn) in await target.ListExportsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (names.IsVolumeIqn(iqn) && !owned.Contains((tid, iqn)) && !await IsBeingWorkedOnAsync(iqn, cancellationToken).ConfigureAwait(false))
            {
                LogOrphan(tid, iqn);
                await target.RemoveExportAsync(tid, iqn, cancellationToken).ConfigureAwait(false);
            }
        }
        return ensured;
    }

    /// <summary>"address:port" compute hosts reach this host's tgtd at: --iscsi_ip_address, else a local address with --iscsi_ip_prefix, else --my_ip.</summary>
    public string Portal()
    {
        var f = flags.Value;
        var address = f.IscsiIpAddress is { Length: > 0 } explicitAddress ? explicitAddress
            : f.IscsiIpPrefix is { Length: > 0 } prefix ? LocalAddressWith(prefix) ?? common.Value.MyIp
            : common.Value.MyIp;
        return $"{address}:{f.IscsiPort}";
    }

    /// <summary>A volume still creating or deleting on this host has its target handled by that message, not by the sweep.</summary>
    private async Task<bool> IsBeingWorkedOnAsync(string iqn, CancellationToken cancellationToken)
    {
        var rows = await volumes.OnHostAsync(common.Value.Host, cancellationToken).ConfigureAwait(false);
        return rows.Any(r => names.Iqn(r.Id) == iqn && r.Status is VolumeStatuses.Creating or VolumeStatuses.Deleting);
    }

    private string? LocalAddressWith(string prefix) =>
        (common.Value.MyIp.StartsWith(prefix, StringComparison.Ordinal) ? common.Value.MyIp : null)
        ?? NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => a.Address.ToString())
            .FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal));

    [LoggerMessage(Level = LogLevel.Warning, Message = "removing iSCSI target {Tid} {Iqn}: no volume of this host owns it")]
    private partial void LogOrphan(int tid, string iqn);
}
