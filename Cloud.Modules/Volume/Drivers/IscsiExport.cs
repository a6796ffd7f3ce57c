namespace Cloud.Modules.Volume.Drivers;

/// <summary>
/// One volume exported over iSCSI: target <paramref name="Tid"/> named <paramref name="Iqn"/>, LUN 1 backed by
/// <paramref name="BackingPath"/>, reachable only with the volume's CHAP credentials. Secret: never logged.
/// </summary>
/// <param name="Tid">tgt's target id (the <c>iscsi_targets</c> row the manager gave the volume).</param>
/// <param name="Iqn">e.g. <c>iqn.2010-10.org.openstack:volume-0000000a</c>.</param>
/// <param name="BackingPath">Block device or file.</param>
/// <param name="ChapUser">Incoming CHAP user.</param>
/// <param name="ChapPassword">Incoming CHAP secret.</param>
public sealed record IscsiExport(int Tid, string Iqn, string BackingPath, string ChapUser, string ChapPassword)
{
    /// <summary>Keeps the CHAP secret out of logs and exception messages.</summary>
    public override string ToString() => $"IscsiExport {{ Tid = {Tid}, Iqn = {Iqn}, BackingPath = {BackingPath} }}";
}
