namespace Cloud.Modules.Volume.Drivers;

/// <summary>
/// The iSCSI target of a volume host (nova's iscsi_helper; <c>TgtAdmTargetDriver</c> drives tgt with tgtadm).
/// Idempotent: ensuring an export that exists with the same settings changes nothing; removing one that is gone is not an
/// error. Never touches the database: the manager passes what the <c>iscsi_targets</c> table says.
/// </summary>
public interface IIscsiTargetDriver
{
    /// <summary>Fails with a clear message when the target daemon cannot be reached (tgtd not running).</summary>
    Task CheckSetupAsync(CancellationToken cancellationToken);

    /// <summary>Makes the export exist exactly as given (target, LUN 1, CHAP account bound to the target, initiators allowed).</summary>
    Task EnsureExportAsync(IscsiExport export, CancellationToken cancellationToken);

    /// <summary>Removes the target (its LUN, CHAP binding and account), also while initiators are connected.</summary>
    Task RemoveExportAsync(int tid, string iqn, CancellationToken cancellationToken);

    /// <summary>Makes the target see the backing store's new size after an extend.</summary>
    Task RefreshSizeAsync(IscsiExport export, CancellationToken cancellationToken);

    /// <summary>The targets that exist (tid and iqn), so the manager can remove those no volume owns.</summary>
    Task<IReadOnlyList<(int Tid, string Iqn)>> ListExportsAsync(CancellationToken cancellationToken);
}
