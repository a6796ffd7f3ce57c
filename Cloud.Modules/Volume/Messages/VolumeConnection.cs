namespace Cloud.Modules.Volume;

/// <summary>
/// How a compute host reaches a volume (nova's iSCSI <c>connection_info</c>, driver_volume_type "iscsi"): the volume
/// host's portal, the target and LUN, and the volume's CHAP credentials. Secret: never logged.
/// </summary>
/// <param name="VolumeUuid">The volume.</param>
/// <param name="TargetPortal">"address:port" of the volume host's tgtd (<c>--iscsi_ip_address</c>, <c>--iscsi_port</c>).</param>
/// <param name="TargetIqn">e.g. <c>iqn.2010-10.org.openstack:volume-0000000a</c>.</param>
/// <param name="TargetLun">The LUN (1: tgt keeps LUN 0 for its controller).</param>
/// <param name="AuthMethod">"CHAP".</param>
/// <param name="AuthUsername">The CHAP user.</param>
/// <param name="AuthPassword">The CHAP secret.</param>
public sealed record VolumeConnection(
    string VolumeUuid,
    string TargetPortal,
    string TargetIqn,
    int TargetLun,
    string AuthMethod,
    string AuthUsername,
    string AuthPassword)
{
    /// <summary>Keeps the CHAP secret out of logs and exception messages.</summary>
    public override string ToString() => $"VolumeConnection {{ VolumeUuid = {VolumeUuid}, TargetPortal = {TargetPortal}, TargetIqn = {TargetIqn}, TargetLun = {TargetLun} }}";
}
